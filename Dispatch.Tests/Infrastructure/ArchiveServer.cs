namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A server whose finished orders older than 30 days may be archived, 7 orders a transaction (so a month takes several
/// batches); the archival's own schedule is far away, so only the test triggers it.
/// </summary>
public sealed class ArchiveServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Archive:OrderAgeDays"] = "30";
        settings["Archive:OrderBatchSize"] = "7";
        settings["Archive:OrderArchiveCron"] = "0 0 0 1 1 ? 2099";
    }
}
