namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A customer server (sign-in codes in its log) whose finished orders older than 30 days may be archived; the archival's
/// own schedule is far away, so only the test triggers it.
/// </summary>
public sealed class ArchiveLookupServer : CustomerServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Archive:OrderAgeDays"] = "30";
        settings["Archive:OrderArchiveCron"] = "0 0 0 1 1 ? 2099";
    }
}
