namespace Dispatch.Tests.Infrastructure;

/// <summary>Where the repository and the read-only reference data (../shared/data) are, found from the test assembly.</summary>
public static class RepoPaths
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dispatch.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Dispatch.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A file under ../shared/data, or null when the reference data is not there.</summary>
    public static string? SharedData(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(Root(), "..", "shared", "data", relative));
        return File.Exists(path) ? path : null;
    }
}
