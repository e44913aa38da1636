namespace Dispatch.Core.Simulation;

/// <summary>
/// Summary of a solution. Times in minutes over delivered orders; overage is minutes past the target
/// click-to-door (0 when on time); utilisation is driving plus service time over duty time; cost is per courier
/// max(pay per order × orders, pay per hour × duty hours), in dollars. <see cref="ClickToDoorBound"/> is the mean
/// click-to-door no policy can beat (every order picked up the minute it is ready and driven straight to the door);
/// <see cref="Undeliverable"/> counts orders no policy can deliver (no courier on duty after the placement is still
/// on duty when the food is ready, even with no travel at all).
/// </summary>
public sealed record MdrpMetrics(
    int Orders,
    int Delivered,
    double MeanClickToDoor,
    double MedianClickToDoor,
    double P90ClickToDoor,
    double MeanReadyToPickup,
    double MeanOverage,
    double OrdersPerBundle,
    double CourierUtilisation,
    double TotalCost,
    double FractionOnGuarantee,
    double ClickToDoorBound,
    int Undeliverable)
{
    public double UndeliveredPercent => Orders == 0 ? 0 : 100.0 * (Orders - Delivered) / Orders;

    public double CostPerOrder => Delivered == 0 ? 0 : TotalCost / Delivered;

    public static MdrpMetrics Compute(MdrpSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var instance = solution.Instance;
        var p = instance.Parameters;
        var clickToDoor = new List<double>();
        var readyToPickup = new List<double>();
        var overage = new List<double>();
        foreach (var a in solution.Assignments)
        {
            for (var i = 0; i < a.Route.Orders.Count; i++)
            {
                var order = instance.Orders[a.Route.Orders[i]];
                var ctd = a.Route.DropoffTimes[i] - order.PlacementTime;
                clickToDoor.Add(ctd);
                readyToPickup.Add(a.Route.PickupTime - order.ReadyTime);
                overage.Add(Math.Max(0, ctd - p.TargetClickToDoorMinutes));
            }
        }
        var delivered = clickToDoor.Count;
        var perCourier = new int[instance.Couriers.Count];
        var busy = 0L;
        foreach (var a in solution.Assignments)
        {
            perCourier[a.Courier] += a.Route.Orders.Count;
            busy += a.Route.BusyMinutes;
        }
        double cost = 0, dutyMinutes = 0;
        var onGuarantee = 0;
        for (var c = 0; c < instance.Couriers.Count; c++)
        {
            var duty = instance.Couriers[c].OffTime - instance.Couriers[c].OnTime;
            dutyMinutes += duty;
            double perOrder = p.PayPerOrder * perCourier[c], guaranteed = p.PayPerHour * duty / 60.0;
            if (guaranteed >= perOrder) onGuarantee++;
            cost += Math.Max(perOrder, guaranteed);
        }
        clickToDoor.Sort();
        return new MdrpMetrics(
            instance.Orders.Count,
            delivered,
            Mean(clickToDoor),
            Percentile(clickToDoor, 0.5),
            Percentile(clickToDoor, 0.9),
            Mean(readyToPickup),
            Mean(overage),
            solution.Assignments.Count == 0 ? 0 : (double)delivered / solution.Assignments.Count,
            dutyMinutes == 0 ? 0 : busy / dutyMinutes,
            cost,
            instance.Couriers.Count == 0 ? 0 : (double)onGuarantee / instance.Couriers.Count,
            instance.Orders.Count == 0 ? 0 : instance.Orders.Average(o => Bound(instance, o)),
            instance.Orders.Count(o => !Deliverable(instance, o)));
    }

    private static double Bound(MdrpInstance instance, MdrpOrder order)
    {
        var r = instance.Restaurants[order.Restaurant];
        return order.ReadyTime + instance.PickupAfter + instance.TravelMinutes(r.X, r.Y, order.X, order.Y) + instance.DropoffBefore - order.PlacementTime;
    }

    private static bool Deliverable(MdrpInstance instance, MdrpOrder order) =>
        instance.Couriers.Any(c => c.OffTime > order.PlacementTime &&
            Math.Max(order.ReadyTime, Math.Max(order.PlacementTime, c.OnTime) + instance.PickupBefore) <= c.OffTime);

    private static double Mean(List<double> values) => values.Count == 0 ? 0 : values.Average();

    // Nearest rank on sorted values.
    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
