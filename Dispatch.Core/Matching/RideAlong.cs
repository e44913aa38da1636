namespace Dispatch.Core.Matching;

/// <summary>
/// Ride-along at departure, after a batch round's matching: a courier sent now for one pickup takes along other rows of that
/// pickup which are not sent this round (waiting, or planned with a courier who frees up later or is held), one row at a
/// time while the seconds until all of them are delivered drop — as <c>RollingHorizonPolicy</c> does. The matching prices
/// rows one courier each, so it cannot see that two rows leaving together beat one of them waiting; this does.
/// </summary>
internal static class RideAlong
{
    /// <summary>
    /// For each row, the row it rides along with (its courier is sent now), or −1. A row rides along only when that courier
    /// has room for every order (<see cref="RankedCandidate.BundleRoom"/>, <see cref="DispatchPolicy.MaxBundle"/>), may take
    /// each of them, and would not wait long at the pickup for any (<see cref="CandidateRanker.HoldUntil"/>).
    /// </summary>
    public static int[] Absorb(IReadOnlyList<RankedOrder> orders, List<BatchUnit> units, Guid?[] courierOfUnit, bool[] sentNow, DateTimeOffset now, DispatchPolicy policy)
    {
        var into = new int[units.Count];
        Array.Fill(into, -1);
        if (policy.MaxBundle <= 1) return into;
        for (var u = 0; u < units.Count; u++)
        {
            if (!sentNow[u] || courierOfUnit[u] is not { } courier || !Bundleable(orders, units[u], orders[units[u].Members[0]].Request)) continue;
            var first = orders[units[u].Members[0]].Request;
            var members = new List<int>(units[u].Members);
            while (true)
            {
                var current = Seconds(orders, members, courier, now, policy);
                if (current is null || !BatchBundles.Find(orders[members[0]].Ranking.Eligible, courier, out var ranked)) break;
                var room = Math.Min(ranked.BundleRoom, policy.MaxBundle);
                var (best, bestGain) = (-1, 0.0);
                for (var v = 0; v < units.Count; v++)
                {
                    var other = units[v];
                    if (v == u || sentNow[v] || into[v] >= 0 || members.Count + other.Members.Length > room || members.Count + other.Members.Length + 1 > policy.MaxTripStops) continue;
                    var request = orders[other.Members[0]].Request;
                    if (request.Pickup != first.Pickup || request.Kind != first.Kind || !Bundleable(orders, other, first) || !Willing(orders, other, courier, now, policy)) continue;
                    var alone = courierOfUnit[v] is { } planned ? Seconds(orders, [.. other.Members], planned, now, policy) : other.WaitSeconds;
                    var merged = Seconds(orders, [.. members, .. other.Members], courier, now, policy);
                    if (alone is null || merged is null) continue;
                    var gain = current.Value + alone.Value - merged.Value;
                    if (gain > bestGain) (best, bestGain) = (v, gain);
                }
                if (best < 0) break;
                into[best] = u;
                members.AddRange(units[best].Members);
            }
        }
        return into;
    }

    /// <summary>Orders of one pickup straight to their doors: no errand stops, no frozen goods.</summary>
    private static bool Bundleable(IReadOnlyList<RankedOrder> orders, BatchUnit unit, DispatchRequest first)
    {
        foreach (var r in unit.Members)
        {
            var request = orders[r].Request;
            if (request.Dropoff is null || request.Via is { Count: > 0 } || request.IsFrozen || request.Pickup != first.Pickup) return false;
        }
        return true;
    }

    /// <summary>The courier may take each of the row's orders and would not wait long at the pickup for any of them.</summary>
    private static bool Willing(IReadOnlyList<RankedOrder> orders, BatchUnit unit, Guid courier, DateTimeOffset now, DispatchPolicy policy)
    {
        foreach (var r in unit.Members)
        {
            if (!BatchBundles.Find(orders[r].Ranking.Eligible, courier, out var ranked) || ranked.FreeAt is not null) return false;
            if (CandidateRanker.HoldUntil(orders[r].Request, ranked, now, policy) is not null) return false;
        }
        return true;
    }

    /// <summary>Seconds until each of these orders is delivered by this courier in one trip (<see cref="BatchBundles.Seconds"/>).</summary>
    private static double? Seconds(IReadOnlyList<RankedOrder> orders, List<int> members, Guid courier, DateTimeOffset now, DispatchPolicy policy)
    {
        var each = new RankedCandidate[members.Count];
        for (var m = 0; m < members.Count; m++)
        {
            if (!BatchBundles.Find(orders[members[m]].Ranking.Eligible, courier, out each[m])) return null;
        }
        return BatchBundles.Seconds(orders, [.. members], each, now, policy);
    }
}
