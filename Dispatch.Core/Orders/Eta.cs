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

    /// <summary>
    /// Seconds to the drop-off: via the pickup until the goods are carried, then through the errand's remaining stops
    /// (<paramref name="via"/>, in order; none for an ordinary order), then to the drop-off. Each leg is straight line.
    /// </summary>
    public static int ToDropoffSeconds(OrderStatus status, LatLon courier, LatLon pickup, LatLon dropoff, double speedMetresPerSecond,
        IReadOnlyList<LatLon>? via = null)
    {
        var here = courier;
        var seconds = 0;
        if (!OrderStateMachine.IsCarrying(status))
        {
            seconds += StraightLineSeconds(here, pickup, speedMetresPerSecond);
            here = pickup;
        }
        foreach (var stop in via ?? [])
        {
            seconds += StraightLineSeconds(here, stop, speedMetresPerSecond);
            here = stop;
        }
        return seconds + StraightLineSeconds(here, dropoff, speedMetresPerSecond);
    }
}
