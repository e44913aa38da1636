using Dispatch.Core.Geo;

namespace Dispatch.Core.Matching;

/// <summary>
/// One stop of a planned trip: the order, pickup or drop-off, where, and when the courier arrives and leaves.
/// <paramref name="IsVia"/>: an intermediate stop of a multi-stop errand, made just before that order's drop-off.
/// </summary>
public sealed record PlannedStop(Guid OrderId, bool IsPickup, LatLon At, DateTimeOffset ArriveAt, DateTimeOffset LeaveAt, bool IsVia = false);

/// <summary>
/// A courier's trip over the orders they hold: every pending pickup, then the drop-offs (frozen first). Times are
/// estimates from the plan's leg model; <see cref="PickupAt"/> is when the goods leave the pickup (or left it).
/// </summary>
public sealed record TripPlan(IReadOnlyList<PlannedStop> Stops, IReadOnlyDictionary<Guid, DateTimeOffset> PickupAt, IReadOnlyDictionary<Guid, DateTimeOffset> DropoffAt)
{
    public DateTimeOffset FinishAt(DateTimeOffset start) => Stops.Count == 0 ? start : Stops[^1].LeaveAt;

    /// <summary>How long the goods of an order are on board: from leaving the pickup to the hand-over.</summary>
    public TimeSpan OnBoard(Guid orderId) => DropoffAt[orderId] - PickupAt[orderId];
}
