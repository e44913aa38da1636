using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Tracking;

/// <summary>
/// Where a courier at one fix stands on an order's way: metres along the planned route and metres off it (both null
/// without a route), and seconds to the drop-off before any pad (along the route, else straight line via the stops).
/// </summary>
internal readonly record struct CourierProgress(double? AlongMetres, double? OffRouteMetres, int EtaSeconds)
{
    public static CourierProgress Of(OrderWay way, LatLon at, double speedMetresPerSecond)
    {
        ArgumentNullException.ThrowIfNull(way);
        if (way.Route is { } route)
        {
            // Knowing the progress already made keeps a route that passes near itself from making the ETA jump back.
            var located = route.Locate(at, way.ProgressMetres);
            return new CourierProgress(located.AlongMetres, located.OffRouteMetres, route.SecondsLeft(located));
        }
        return new CourierProgress(null, null, Eta.ToDropoffSeconds(way.Status, at, way.Pickup, way.Dropoff, speedMetresPerSecond, way.Via));
    }
}
