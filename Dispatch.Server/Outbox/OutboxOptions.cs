using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Outbox;

/// <summary>How the relay hands committed outbox rows to their consumers. Section "Outbox".</summary>
internal sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Rows claimed per round trip.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Batches a node relays at once (each on its own connection): one is claimed while another is with the consumers. The
    /// stall once seen with 2 was the claim's plan (quadratic on a backlog, with any number of workers), not the workers.
    /// </summary>
    [Range(1, 16)]
    public int Workers { get; set; } = 2;

    /// <summary>Besides NOTIFY (which wakes the relay at once), it looks for work this often, milliseconds: a missed notification costs at most this.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 1_000;

    /// <summary>Processed rows are kept this long (for replaying by hand, and the webhook log's references), hours.</summary>
    [Range(0, 24 * 365)]
    public int KeepProcessedHours { get; set; } = 24;

    /// <summary>How often processed rows older than <see cref="KeepProcessedHours"/> are deleted, seconds (also once at start).</summary>
    [Range(1, 24 * 3600)]
    public int PurgeIntervalSeconds { get; set; } = 300;

    /// <summary>Rows deleted per statement when purging: small, so a purge never holds many locks or one long transaction.</summary>
    [Range(1, 100_000)]
    public int PurgeBatchSize { get; set; } = 5_000;

    /// <summary>How often the oldest pending event's age (the lag, metric dispatch.outbox.lag) is measured, milliseconds.</summary>
    [Range(50, 600_000)]
    public int LagCheckMilliseconds { get; set; } = 5_000;

    /// <summary>A lag above this many seconds is logged as a warning (once while it stays above; again when it is back under).</summary>
    [Range(1, 24 * 3600)]
    public int LagWarningSeconds { get; set; } = 60;
}
