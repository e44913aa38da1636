namespace Dispatch.Tests.Infrastructure;

/// <summary>Helpers for tests that migrate scratch databases of their own, without a server.</summary>
public static class MigrationScratch
{
    /// <summary>Skips on a laptop without the services, fails under CI=true, as the server fixtures do.</summary>
    public static void RequireServices()
    {
        var missing = ServiceSettings.Unavailable();
        if (missing is null) return;
        if (ServiceSettings.IsCi) throw new InvalidOperationException($"CI=true and {missing}");
        Assert.Skip(missing);
    }

    /// <summary>A database name of the test databases' family (dispatch_t_*), unique per call.</summary>
    public static string Name(string purpose) => $"dispatch_t_{purpose}_{Guid.NewGuid():N}"[..40];
}
