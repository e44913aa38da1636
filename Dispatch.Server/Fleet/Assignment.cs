using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Routing;
using Dispatch.Core.Tracking;

namespace Dispatch.Server.Fleet;

/// <summary>
/// An order a courier is working on, as the live pushes need it: its stops, status, and the planned road route
/// (null until one is planned, or when the zone has no road network), and what this node already asked for:
/// progress along the route (metres), and what the customer was last sent. <paramref name="Via"/>: a multi-stop errand's
/// stops still to do before the drop-off, in order (null or empty: none), for straight-line ETAs and pre-arrival.
/// </summary>
internal sealed record Assignment(
    Guid OrderId,
    LatLon Pickup,
    LatLon Dropoff,
    OrderStatus Status,
    RouteTrack? Route = null,
    DateTimeOffset RerouteAskedAt = default,
    Milestone MilestonesAsked = Milestone.None,
    double ProgressMetres = 0,
    LastPush? LastPush = null,
    IReadOnlyList<LatLon>? Via = null)
{
    /// <summary>The order's way as Core's tracking decisions take it.</summary>
    public OrderWay Way => new(Status, Pickup, Dropoff, Via, Route, ProgressMetres);
}
