using Dispatch.Core.Payments;

namespace Dispatch.Server.Persistence;

/// <summary>
/// A refund (table payment_refunds): asked when a paid order is cancelled or fails (one per outbox event) or by a
/// dispatcher; the amount is decided and the provider called by the refund loop. Its id is the refund number the provider
/// gets, so a retried call never refunds twice.
/// </summary>
internal sealed class RefundRecord
{
    public Guid Id { get; set; }

    public Guid OrderId { get; set; }

    /// <summary>The order event that asked for it; null for a dispatcher's refund. Unique: a replayed event adds nothing.</summary>
    public Guid? EventId { get; set; }

    public RefundReason Reason { get; set; }

    /// <summary>A dispatcher's chosen amount, cents; null for the rule-decided ones.</summary>
    public int? RequestedCents { get; set; }

    /// <summary>What went back, cents (0 until done, and when nothing was owed).</summary>
    public int AmountCents { get; set; }

    public RefundState State { get; set; }

    public string Actor { get; set; } = "";

    public string Note { get; set; } = "";

    public string? Provider { get; set; }

    public string? ProviderRef { get; set; }

    public string? Error { get; set; }

    public int Attempts { get; set; }

    /// <summary>When the loop may take it next (a retry, or the end of a claim's lease).</summary>
    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DoneAt { get; set; }
}
