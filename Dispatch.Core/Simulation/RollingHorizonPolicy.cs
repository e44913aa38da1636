using Dispatch.Core.Matching.Assignment;

namespace Dispatch.Core.Simulation;

/// <summary>
/// Rolling-horizon dispatch, re-optimised every cycle. The ready-soon open orders are cut into same-restaurant
/// bundles, larger when orders outnumber the couriers available soon (idle now or freeing up within the supply
/// horizon). Every bundle–courier pair is priced by when that courier would deliver the bundle (busy couriers from
/// their predicted free time and place) plus the courier's empty drive, less the orders' weighted age; a bundle
/// may also wait (priced as a pickup at the wait horizon). The exact assignment solver matches them all at once.
/// Only idle couriers who would not wait long for the food are sent (late commitment); on the way out they take
/// along other bundles of the same restaurant when that lowers the total click-to-door. Everything else stays
/// open for the next cycle.
/// </summary>
public sealed class RollingHorizonPolicy(RollingHorizonOptions options) : IMdrpPolicy
{
    // Added to every pair so costs stay positive; a constant per pair does not change the optimum.
    private const long Base = 1_000_000_000;

    // Costs in hundredths of a minute, so weights in percent stay exact.
    private const long Scale = 100;

    public IReadOnlyList<MdrpInstruction> Decide(MdrpView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var instance = view.Instance;
        var now = view.Now;
        var soon = view.OpenOrders.Where(o => instance.Orders[o].ReadyTime <= now + options.ReadyHorizonMinutes).ToList();
        if (soon.Count == 0 || view.IdleCouriers.Count == 0) return [];

        var freeing = view.BusyCouriers
            .Where(c => c.FreeAt <= now + options.SupplyHorizonMinutes && c.FreeAt < instance.Couriers[c.Courier].OffTime)
            .ToList();
        var supply = view.IdleCouriers.Count + freeing.Count;
        var targetSize = Math.Clamp((soon.Count + supply - 1) / supply, 1, options.MaxBundle);
        var bundles = MdrpBundler.ByReadyTime(instance, soon, targetSize, options.BundleReadySpreadMinutes, now);

        // Columns: idle couriers first (0 … idle − 1), then the freeing ones.
        var idleCount = view.IdleCouriers.Count;
        var waitColumn = idleCount + freeing.Count;
        var candidates = new IReadOnlyList<AssignmentCandidate>[bundles.Count];
        for (var b = 0; b < bundles.Count; b++)
        {
            var bundle = bundles[b];
            var worth = Worth(now, bundle);
            var list = new List<AssignmentCandidate>();
            for (var c = 0; c < idleCount; c++)
            {
                var courier = view.IdleCouriers[c];
                var ready = bundle.ArrivalReadyToPickUp(instance, courier.X, courier.Y, now);
                var pickup = Math.Max(ready, bundle.ReadyTime);
                if (pickup > instance.Couriers[courier.Courier].OffTime) continue;
                list.Add(new AssignmentCandidate(c, Base + Cost(instance, bundle, courier.X, courier.Y, pickup, now) - worth));
            }
            for (var f = 0; f < freeing.Count; f++)
            {
                var courier = freeing[f];
                var pickup = bundle.PickupTime(instance, courier.X, courier.Y, courier.FreeAt);
                if (pickup > instance.Couriers[courier.Courier].OffTime) continue;
                // One extra minute: on a tie the idle courier goes, the busy one stays free for what comes next.
                list.Add(new AssignmentCandidate(idleCount + f, Base + Cost(instance, bundle, courier.X, courier.Y, pickup, now) + Scale - worth));
            }
            // Waiting is an option too: priced as if picked up at the wait horizon (or when ready), without the age
            // bonus, so a courier much further off than that is not sent while the order is young.
            var waitPickup = Math.Max(bundle.ReadyTime, now + options.WaitHorizonMinutes);
            long waitDelivery = ((long)bundle.Sequence.Count * (waitPickup - now)) + bundle.DropOffsetSum;
            list.Add(new AssignmentCandidate(waitColumn + b, Base + (Scale * waitDelivery)));
            candidates[b] = list;
        }

        var result = AssignmentSolver.SolveSparse(candidates);
        var plannedPickup = new int?[bundles.Count];
        var taken = new bool[bundles.Count];
        var sent = new List<(MdrpIdleCourier Courier, List<int> Orders)>();
        for (var b = 0; b < bundles.Count; b++)
        {
            var c = result.CourierOfOrder[b];
            if (c == AssignmentSolver.Unassigned || c >= waitColumn) continue;
            if (c >= idleCount)
            {
                var busy = freeing[c - idleCount];
                plannedPickup[b] = bundles[b].PickupTime(instance, busy.X, busy.Y, busy.FreeAt);
                continue;
            }
            // Late commitment: the courier stays planned for this bundle but is sent only when the wait is short.
            var courier = view.IdleCouriers[c];
            var ready = bundles[b].ArrivalReadyToPickUp(instance, courier.X, courier.Y, now);
            plannedPickup[b] = Math.Max(ready, bundles[b].ReadyTime);
            if (bundles[b].ReadyTime - ready <= options.CommitSlackMinutes)
            {
                sent.Add((courier, [.. bundles[b].Sequence]));
                taken[b] = true;
            }
        }
        return sent.Select(x => new MdrpInstruction(x.Courier.Courier, Absorb(instance, now, x.Courier, x.Orders, bundles, plannedPickup, taken))).ToList();
    }

    // Adds to a courier about to leave the bundles of the same restaurant that are better off riding along than
    // waiting for their own planned courier (or for none), one at a time while the total click-to-door drops.
    private IReadOnlyList<int> Absorb(MdrpInstance instance, int now, MdrpIdleCourier courier, List<int> orders, List<MdrpBundle> bundles, int?[] plannedPickup, bool[] taken)
    {
        var route = MdrpRoute.PlanBest(instance, courier.X, courier.Y, now, orders);
        var off = instance.Couriers[courier.Courier].OffTime;
        var restaurant = instance.Orders[orders[0]].Restaurant;
        while (true)
        {
            var best = -1;
            MdrpRoute? bestRoute = null;
            long bestGain = 0;
            for (var u = 0; u < bundles.Count; u++)
            {
                var other = bundles[u];
                if (taken[u] || other.Restaurant != restaurant || route.Orders.Count + other.Sequence.Count > options.MaxBundle) continue;
                var merged = MdrpRoute.PlanBest(instance, courier.X, courier.Y, now, [.. route.Orders, .. other.Sequence]);
                if (merged.PickupTime > off || merged.PickupTime - (merged.RestaurantArrival + instance.PickupBefore) > options.CommitSlackMinutes) continue;
                var alone = other.ClickToDoor(plannedPickup[u] ?? Math.Max(other.ReadyTime, now + options.WaitHorizonMinutes));
                var gain = ClickToDoor(instance, route) + alone - ClickToDoor(instance, merged);
                if (gain > bestGain) (best, bestRoute, bestGain) = (u, merged, gain);
            }
            if (best < 0) return route.Orders;
            taken[best] = true;
            route = bestRoute!;
        }
    }

    private static long ClickToDoor(MdrpInstance instance, MdrpRoute route)
    {
        long total = 0;
        for (var i = 0; i < route.Orders.Count; i++) total += route.DropoffTimes[i] - instance.Orders[route.Orders[i]].PlacementTime;
        return total;
    }

    // Hundredths of minutes: the bundle's orders' minutes from now to their drop-off, plus the courier's empty
    // driving to the restaurant at its weight (a courier driving is a courier no other order can have).
    private long Cost(MdrpInstance instance, MdrpBundle bundle, double x, double y, int pickup, int now)
    {
        var r = instance.Restaurants[bundle.Restaurant];
        long delivery = ((long)bundle.Sequence.Count * (pickup - now)) + bundle.DropOffsetSum;
        return (Scale * delivery) + ((long)options.TravelWeightPercent * instance.TravelMinutes(x, y, r.X, r.Y));
    }

    // What serving the bundle now rather than later is worth, hundredths of minutes: its orders' weighted age.
    private long Worth(int now, MdrpBundle bundle)
    {
        long ageSum = ((long)bundle.Sequence.Count * now) - bundle.PlacementSum;
        return ageSum * options.AgeWeightPercent;
    }
}
