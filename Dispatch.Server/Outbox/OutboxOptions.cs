using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Outbox;

/// <summary>How the relay hands committed outbox rows to their consumers. Section "Outbox".</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Rows claimed per round trip.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Besides NOTIFY (which wakes the relay at once), it looks for work this often, milliseconds: a missed notification costs at most this.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 1_000;

    /// <summary>Processed rows are kept this long (for replaying by hand, and the webhook log's references), hours.</summary>
    [Range(0, 24 * 365)]
    public int KeepProcessedHours { get; set; } = 24;
}
