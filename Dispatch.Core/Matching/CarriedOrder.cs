using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Matching;

/// <summary>
/// An order a courier already holds (accepted, not delivered): what dispatch needs to plan the courier's trip with one
/// more order in it. <paramref name="PickedUpAt"/> is null while the goods are still at the pickup. <paramref name="Via"/> are the
/// intermediate stops of a multi-stop errand still to do, in order, between its pickup and its drop-off (null or empty: none).
/// </summary>
public sealed record CarriedOrder(
    Guid OrderId,
    OrderKind Kind,
    LatLon Pickup,
    LatLon Dropoff,
    DateTimeOffset PromisedAt,
    DateTimeOffset? PickedUpAt,
    DateTimeOffset? ReadyAt = null,
    IReadOnlyList<LatLon>? Via = null)
{
    public bool IsFrozen => Kind == OrderKind.Frozen;
}
