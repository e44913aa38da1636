using Dispatch.Core.Orders;

namespace Dispatch.Server.Outbox;

/// <summary>
/// Payload of <see cref="OutboxKinds.OrderStatus"/>: an order moved from one status to another. <paramref name="CourierId"/>
/// is the courier holding it after the move (null when none), <paramref name="PreviousCourierId"/> the one before when it
/// changed (a reassignment, a release). <paramref name="Note"/> is the timeline's note (a reason); staff-facing; a batch's moves
/// (OrderTransitions.MoveManyCommand) carry it only into Cancelled or Failed, the moves whose reason is read.
/// </summary>
internal sealed record OrderMoved(
    Guid OrderId,
    long Number,
    string MerchantId,
    string Zone,
    OrderStatus From,
    OrderStatus To,
    Guid? CourierId,
    Guid? PreviousCourierId,
    DateTimeOffset At,
    string Actor,
    string? Note);

/// <summary>Payload of <see cref="OutboxKinds.OrderArriving"/>: the courier is about <paramref name="EtaSeconds"/> from the drop-off.</summary>
internal sealed record OrderArriving(Guid OrderId, long Number, string MerchantId, Guid CourierId, int EtaSeconds, DateTimeOffset At);
