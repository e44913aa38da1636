namespace Dispatch.Core.Simulation;

/// <summary>
/// Orders of one restaurant in their best drop-off sequence, priced relative to the pickup moment: every drop-off
/// happens a fixed number of minutes after the pickup whoever carries the bundle, so one plan serves every courier.
/// </summary>
/// <param name="ReadyTime">The latest ready time of the orders: the earliest pickup.</param>
/// <param name="DropOffsetSum">Sum over the orders of (drop-off − pickup), minutes.</param>
/// <param name="PlacementSum">Sum of the orders' placement times.</param>
/// <param name="OldestPlacement">The earliest placement time among the orders.</param>
/// <param name="AfterPickup">Minutes from the pickup moment until the courier leaves the last drop-off.</param>
internal sealed record MdrpBundle(
    int Restaurant,
    IReadOnlyList<int> Sequence,
    int ReadyTime,
    long DropOffsetSum,
    long PlacementSum,
    int OldestPlacement,
    int AfterPickup)
{
    public static MdrpBundle Plan(MdrpInstance instance, IReadOnlyList<int> orders)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(orders);
        var restaurant = instance.Orders[orders[0]].Restaurant;
        var r = instance.Restaurants[restaurant];
        var route = MdrpRoute.PlanBest(instance, r.X, r.Y, 0, orders);
        long offsets = route.DropoffTimes.Sum(t => (long)(t - route.PickupTime));
        long placements = orders.Sum(o => (long)instance.Orders[o].PlacementTime);
        return new MdrpBundle(
            restaurant,
            route.Orders,
            orders.Max(o => instance.Orders[o].ReadyTime),
            offsets,
            placements,
            orders.Min(o => instance.Orders[o].PlacementTime),
            route.FreeAt - route.PickupTime);
    }

    /// <summary>The pickup moment for a courier free at <paramref name="freeAt"/> at (x, y).</summary>
    public int PickupTime(MdrpInstance instance, double x, double y, int freeAt)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Math.Max(ArrivalReadyToPickUp(instance, x, y, freeAt), ReadyTime);
    }

    /// <summary>Arrival at the restaurant plus the service half before the pickup: the earliest pickup if the food were ready.</summary>
    public int ArrivalReadyToPickUp(MdrpInstance instance, double x, double y, int freeAt)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var r = instance.Restaurants[Restaurant];
        return freeAt + instance.TravelMinutes(x, y, r.X, r.Y) + instance.PickupBefore;
    }

    /// <summary>Total click-to-door of the orders if picked up at <paramref name="pickup"/>.</summary>
    public long ClickToDoor(int pickup) => ((long)Sequence.Count * pickup) + DropOffsetSum - PlacementSum;
}
