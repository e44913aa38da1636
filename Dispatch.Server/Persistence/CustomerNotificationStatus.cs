namespace Dispatch.Server.Persistence;

/// <summary>Where a customer message is. Numeric values are stored; never renumber.</summary>
internal enum CustomerNotificationStatus
{
    /// <summary>To send at <see cref="CustomerNotificationRecord.DueAt"/>.</summary>
    Pending = 0,
    Sent = 1,

    /// <summary>Every try failed (the channel's gateway kept refusing or was unreachable).</summary>
    Failed = 2,

    /// <summary>Not sendable: the order has no address for the channel, or the channel refused the address.</summary>
    Skipped = 3,

    /// <summary>Held by a quiet night and stale by its end (later news of the order exists).</summary>
    Dropped = 4,
}
