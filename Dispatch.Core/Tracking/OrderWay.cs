using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Routing;

namespace Dispatch.Core.Tracking;

/// <summary>
/// The way a courier has to go for one order, as tracking needs it: the status, the stops, and the planned road route
/// with the progress already made along it (metres). <paramref name="Via"/>: a multi-stop errand's stops still to do
/// before the drop-off, in order (null or empty: none). <paramref name="Route"/> is null until one is planned, or when
/// the zone has no road network (or this node does not follow the courier): the ETA is then straight line.
/// </summary>
public sealed record OrderWay(
    OrderStatus Status,
    LatLon Pickup,
    LatLon Dropoff,
    IReadOnlyList<LatLon>? Via = null,
    RouteTrack? Route = null,
    double ProgressMetres = 0);
