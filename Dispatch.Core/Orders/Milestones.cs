using Dispatch.Core.Geo;

namespace Dispatch.Core.Orders;

/// <summary>Decides the movement milestones of a carried order. Pure: positions and thresholds in, a milestone out.</summary>
public static class Milestones
{
    /// <summary>Note on the order_events row that records pre-arrival (the status stays what it was).</summary>
    public const string ArrivingNote = "arriving";

    /// <param name="leftPickupMetres">distance from the pickup that counts as having left it</param>
    /// <param name="arrivingMetres">distance to the drop-off that counts as arriving</param>
    /// <param name="arrivingSeconds">time to the drop-off that counts as arriving</param>
    public static Milestone Next(OrderStatus status, bool arrivingRecorded, LatLon courier, LatLon pickup, LatLon dropoff, int etaSeconds,
        double leftPickupMetres, double arrivingMetres, int arrivingSeconds)
    {
        if (!OrderStateMachine.IsCarrying(status) || status == OrderStatus.ArrivedAtDropoff) return Milestone.None;
        if (!arrivingRecorded && (GeoMath.DistanceMetres(courier, dropoff) <= arrivingMetres || etaSeconds <= arrivingSeconds)) return Milestone.Arriving;
        if (status == OrderStatus.PickedUp && GeoMath.DistanceMetres(courier, pickup) >= leftPickupMetres) return Milestone.LeftPickup;
        return Milestone.None;
    }
}
