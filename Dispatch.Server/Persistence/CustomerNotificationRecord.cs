using Dispatch.Core.Notifications;

namespace Dispatch.Server.Persistence;

/// <summary>
/// A message to an order's customer (table customer_notifications): one row per order and kind, so a kind is sent at most
/// once whatever replays or nodes raise it. Holds no personal data: the sender reads the phone or address from the order.
/// </summary>
internal sealed class CustomerNotificationRecord
{
    public long Id { get; set; }

    public Guid OrderId { get; set; }

    public CustomerNoticeKind Kind { get; set; }

    /// <summary>The outbox event that raised it; null when the delay sweep did.</summary>
    public Guid? EventId { get; set; }

    public CustomerNotificationStatus Status { get; set; }

    /// <summary>Held back by a quiet night: when it is due it is dropped instead if later news of the order exists.</summary>
    public bool Held { get; set; }

    /// <summary>When the sender may take it (next try, end of a quiet night, or the end of a claim's lease).</summary>
    public DateTimeOffset DueAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The adapter that sent it (Log, HttpSms, WeChatTemplate, Smtp).</summary>
    public string? Channel { get; set; }

    /// <summary>Why it was skipped, dropped or failed (or the last failure of a try); never personal data.</summary>
    public string? Reason { get; set; }
}
