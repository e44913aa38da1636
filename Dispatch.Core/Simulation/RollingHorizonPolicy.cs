using Dispatch.Core.Matching.Assignment;

namespace Dispatch.Core.Simulation;

/// <summary>
/// Rolling-horizon dispatch: each cycle, groups the ready-soon open orders into same-restaurant bundles (larger
/// when orders outnumber idle couriers), prices every feasible bundle–courier pair by the bundle's total
/// click-to-door if that courier takes it now, and assigns them all at once with the exact assignment solver.
/// Pairs that break the rules (pickup after the off time) or commit a courier too early are left out; bundles
/// that get no courier stay open for the next cycle.
/// </summary>
public sealed class RollingHorizonPolicy(RollingHorizonOptions options) : IMdrpPolicy
{
    public IReadOnlyList<MdrpInstruction> Decide(MdrpView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var instance = view.Instance;
        var soon = view.OpenOrders.Where(o => instance.Orders[o].ReadyTime <= view.Now + options.ReadyHorizonMinutes).ToList();
        if (soon.Count == 0 || view.IdleCouriers.Count == 0) return [];

        // Bundle only as much as the courier shortage demands: one order each while couriers suffice.
        var targetSize = Math.Clamp((soon.Count + view.IdleCouriers.Count - 1) / view.IdleCouriers.Count, 1, options.MaxBundle);
        var bundles = Bundle(instance, soon, targetSize);

        var candidates = new IReadOnlyList<AssignmentCandidate>[bundles.Count];
        for (var b = 0; b < bundles.Count; b++)
        {
            var list = new List<AssignmentCandidate>();
            for (var c = 0; c < view.IdleCouriers.Count; c++)
            {
                var cost = Cost(instance, view, bundles[b], view.IdleCouriers[c]);
                if (cost is { } value) list.Add(new AssignmentCandidate(c, value));
            }
            candidates[b] = list;
        }

        var result = AssignmentSolver.SolveSparse(candidates);
        var instructions = new List<MdrpInstruction>();
        for (var b = 0; b < bundles.Count; b++)
        {
            var c = result.CourierOfOrder[b];
            if (c != AssignmentSolver.Unassigned) instructions.Add(new MdrpInstruction(view.IdleCouriers[c].Courier, bundles[b].Sequence));
        }
        return instructions;
    }

    // Total click-to-door (minutes) of the bundle if this courier leaves now, or null when the pair is not allowed.
    private long? Cost(MdrpInstance instance, MdrpView view, PlannedBundle bundle, MdrpIdleCourier courier)
    {
        var restaurant = instance.Restaurants[bundle.Restaurant];
        var arrival = view.Now + instance.TravelMinutes(courier.X, courier.Y, restaurant.X, restaurant.Y);
        var pickup = Math.Max(arrival + instance.PickupBefore, bundle.ReadyTime);
        if (pickup > instance.Couriers[courier.Courier].OffTime) return null;
        if (pickup - (arrival + instance.PickupBefore) > options.CommitSlackMinutes) return null;
        // Drop-off times are the pickup time plus fixed offsets of the bundle's sequence.
        return ((long)bundle.Sequence.Count * pickup) + bundle.DropOffsetSum - bundle.PlacementSum;
    }

    private List<PlannedBundle> Bundle(MdrpInstance instance, List<int> orders, int targetSize)
    {
        var bundles = new List<PlannedBundle>();
        foreach (var group in orders.GroupBy(o => instance.Orders[o].Restaurant))
        {
            var byReady = group.OrderBy(o => instance.Orders[o].ReadyTime).ThenBy(o => o).ToList();
            var current = new List<int>();
            foreach (var o in byReady)
            {
                if (current.Count > 0 &&
                    (current.Count >= targetSize ||
                     instance.Orders[o].ReadyTime - instance.Orders[current[0]].ReadyTime > options.BundleReadySpreadMinutes))
                {
                    bundles.Add(Plan(instance, group.Key, current));
                    current = [];
                }
                current.Add(o);
            }
            if (current.Count > 0) bundles.Add(Plan(instance, group.Key, current));
        }
        return bundles;
    }

    private static PlannedBundle Plan(MdrpInstance instance, int restaurant, List<int> orders)
    {
        // The best drop sequence does not depend on the courier: every drop time shifts with the pickup time.
        var r = instance.Restaurants[restaurant];
        var route = MdrpRoute.PlanBest(instance, r.X, r.Y, 0, orders);
        long offsets = route.DropoffTimes.Sum(t => (long)(t - route.PickupTime));
        long placements = orders.Sum(o => (long)instance.Orders[o].PlacementTime);
        return new PlannedBundle(restaurant, route.Orders, orders.Max(o => instance.Orders[o].ReadyTime), offsets, placements);
    }

    private sealed record PlannedBundle(int Restaurant, IReadOnlyList<int> Sequence, int ReadyTime, long DropOffsetSum, long PlacementSum);
}
