namespace Dispatch.Tests.Infrastructure;

/// <summary>A server whose recovery sweep runs every second, so a stranded order is picked up within a test's wait.</summary>
public sealed class RecoverySweepServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Dispatch:RecoverySweepSeconds"] = "1";
    }
}
