using Dispatch.Core.Payments;
using Dispatch.Server.Persistence;

namespace Dispatch.Server.Orders;

/// <summary>A refund as the order API shows it.</summary>
internal sealed record RefundView(Guid Id, RefundReason Reason, RefundState State, int AmountCents, int? RequestedCents, string Actor, string Note, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt)
{
    /// <summary>A refund row already read (Archive's OrderReader).</summary>
    public static RefundView Of(RefundRecord r) => new(r.Id, r.Reason, r.State, r.AmountCents, r.RequestedCents, r.Actor, r.Note, r.Error, r.CreatedAt, r.DoneAt);
}
