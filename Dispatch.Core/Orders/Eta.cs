using Dispatch.Core.Geo;

namespace Dispatch.Core.Orders;

/// <summary>Simple ETA until routing lands: straight-line distance ÷ speed. Seconds.</summary>
public static class Eta
{
    public static int StraightLineSeconds(LatLon from, LatLon to, double speedMetresPerSecond)
    {
        if (!(speedMetresPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(speedMetresPerSecond), "Speed must be positive.");
        return (int)Math.Ceiling(GeoMath.DistanceMetres(from, to) / speedMetresPerSecond);
    }

    /// <summary>Seconds to the drop-off: via the pickup until the goods are carried, then straight there.</summary>
    public static int ToDropoffSeconds(OrderStatus status, LatLon courier, LatLon pickup, LatLon dropoff, double speedMetresPerSecond) =>
        OrderStateMachine.IsCarrying(status)
            ? StraightLineSeconds(courier, dropoff, speedMetresPerSecond)
            : StraightLineSeconds(courier, pickup, speedMetresPerSecond) + StraightLineSeconds(pickup, dropoff, speedMetresPerSecond);
}
