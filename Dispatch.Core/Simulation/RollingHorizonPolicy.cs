using Dispatch.Core.Matching.Assignment;

namespace Dispatch.Core.Simulation;

/// <summary>
/// Rolling-horizon dispatch. Each cycle: the ready-soon open orders are cut into same-restaurant bundles, larger
/// when orders outnumber the couriers available soon (idle now or freeing up within the supply horizon); every
/// feasible bundle–courier pair is priced by when that courier would deliver the bundle (busy couriers from their
/// predicted free time and place), less what serving the orders is worth (more for older orders); the exact
/// assignment solver matches them all at once. Only pairs with an idle courier who would not wait long for the
/// food are sent; the rest stay open and are re-optimised next cycle.
/// </summary>
public sealed class RollingHorizonPolicy(RollingHorizonOptions options) : IMdrpPolicy
{
    // Added to every pair so costs stay positive; a constant per pair does not change the optimum.
    private const long Base = 1_000_000_000;

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
        var bundles = MdrpBundler.ByReadyTime(instance, soon, targetSize, options.BundleReadySpreadMinutes);

        // Columns: idle couriers first (0 … idle − 1), then the freeing ones.
        var idleCount = view.IdleCouriers.Count;
        var candidates = new IReadOnlyList<AssignmentCandidate>[bundles.Count];
        for (var b = 0; b < bundles.Count; b++)
        {
            var bundle = bundles[b];
            var worth = Worth(instance, now, bundle);
            var list = new List<AssignmentCandidate>();
            for (var c = 0; c < idleCount; c++)
            {
                var courier = view.IdleCouriers[c];
                var ready = bundle.ArrivalReadyToPickUp(instance, courier.X, courier.Y, now);
                var pickup = Math.Max(ready, bundle.ReadyTime);
                if (pickup > instance.Couriers[courier.Courier].OffTime || pickup - ready > options.CommitSlackMinutes) continue;
                list.Add(new AssignmentCandidate(c, Base + Delivery(bundle, pickup, now) - worth));
            }
            for (var f = 0; f < freeing.Count; f++)
            {
                var courier = freeing[f];
                var pickup = bundle.PickupTime(instance, courier.X, courier.Y, courier.FreeAt);
                if (pickup > instance.Couriers[courier.Courier].OffTime) continue;
                // One extra minute: on a tie the idle courier goes, the busy one stays free for what comes next.
                list.Add(new AssignmentCandidate(idleCount + f, Base + Delivery(bundle, pickup, now) + 1 - worth));
            }
            candidates[b] = list;
        }

        var result = AssignmentSolver.SolveSparse(candidates);
        var instructions = new List<MdrpInstruction>();
        for (var b = 0; b < bundles.Count; b++)
        {
            var c = result.CourierOfOrder[b];
            if (c != AssignmentSolver.Unassigned && c < idleCount) instructions.Add(new MdrpInstruction(view.IdleCouriers[c].Courier, bundles[b].Sequence));
        }
        return instructions;
    }

    // Sum over the bundle's orders of minutes from now to their drop-off.
    private static long Delivery(MdrpBundle bundle, int pickup, int now) =>
        ((long)bundle.Sequence.Count * (pickup - now)) + bundle.DropOffsetSum;

    // What serving the bundle this cycle is worth, minutes: a fixed value per order plus its weighted age.
    private long Worth(MdrpInstance instance, int now, MdrpBundle bundle)
    {
        long ageSum = ((long)bundle.Sequence.Count * now) - bundle.PlacementSum;
        return ((long)bundle.Sequence.Count * options.OrderValueMinutes) + (ageSum * options.AgeWeightPercent / 100);
    }
}
