namespace Dispatch.Core.Simulation;

/// <summary>
/// The reference greedy dispatchers of issue 3, oldest work first, each cycle: every order (or same-restaurant
/// bundle) goes to the idle courier who can pick it up first (ties: the earlier arrival, then the lower index).
/// <see cref="Naive"/> sends one order per courier at once; <see cref="BundlingWithLateCommitment"/> bundles the
/// open orders of a restaurant and does not send a courier who would wait for the food longer than the slack
/// (the bundle stays open, so a courier freeing up nearer meanwhile can take it).
/// </summary>
public sealed class GreedyPolicy(int maxBundle, int bundleReadySpreadMinutes, int? commitSlackMinutes) : IMdrpPolicy
{
    /// <summary>No bundling, no late commitment.</summary>
    public static GreedyPolicy Naive() => new(1, 0, null);

    /// <summary>Same-restaurant bundles of up to three ready within 10 minutes; couriers wait at most 4 minutes.</summary>
    public static GreedyPolicy BundlingWithLateCommitment() => new(3, 10, 4);

    public IReadOnlyList<MdrpInstruction> Decide(MdrpView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var instance = view.Instance;
        var bundles = MdrpBundler.ByReadyTime(instance, view.OpenOrders, maxBundle, bundleReadySpreadMinutes)
            .OrderBy(b => b.OldestPlacement).ThenBy(b => b.Sequence[0])
            .ToList();
        var idle = view.IdleCouriers.ToList();
        var instructions = new List<MdrpInstruction>();
        foreach (var bundle in bundles)
        {
            if (idle.Count == 0) break;
            var best = -1;
            int bestPickup = int.MaxValue, bestArrival = int.MaxValue;
            for (var i = 0; i < idle.Count; i++)
            {
                var c = idle[i];
                var arrival = bundle.ArrivalReadyToPickUp(instance, c.X, c.Y, view.Now);
                var pickup = Math.Max(arrival, bundle.ReadyTime);
                if (pickup > instance.Couriers[c.Courier].OffTime) continue;
                if (pickup < bestPickup || (pickup == bestPickup && arrival < bestArrival)) (best, bestPickup, bestArrival) = (i, pickup, arrival);
            }
            if (best < 0) continue;
            if (commitSlackMinutes is { } slack && bestPickup - bestArrival > slack) continue;
            instructions.Add(new MdrpInstruction(idle[best].Courier, bundle.Sequence));
            idle.RemoveAt(best);
        }
        return instructions;
    }
}
