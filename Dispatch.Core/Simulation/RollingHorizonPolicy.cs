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
        var bundles = MdrpBundler.ByReadyTime(instance, soon, targetSize, options.BundleReadySpreadMinutes);

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
    private long? Cost(MdrpInstance instance, MdrpView view, MdrpBundle bundle, MdrpIdleCourier courier)
    {
        var ready = bundle.ArrivalReadyToPickUp(instance, courier.X, courier.Y, view.Now);
        var pickup = Math.Max(ready, bundle.ReadyTime);
        if (pickup > instance.Couriers[courier.Courier].OffTime) return null;
        if (pickup - ready > options.CommitSlackMinutes) return null;
        return bundle.ClickToDoor(pickup);
    }
}
