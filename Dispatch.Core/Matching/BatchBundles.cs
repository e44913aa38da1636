using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Matching;

/// <summary>
/// Cuts a batch round's orders into the rows of its matching (<see cref="BatchUnit"/>): when orders outnumber the couriers
/// who may take them, the orders of one pickup are bundled by ready time, as many per bundle as that ratio (at most
/// <see cref="DispatchPolicy.MaxBundle"/>), so one courier carries them and the others stay free; otherwise each order is
/// its own row. An order with no eligible courier, or sitting the round out (ready beyond the ready horizon), is no row.
/// Each row's options are priced by when its orders would be delivered (<see cref="Member"/>, <see cref="Trip"/>).
/// </summary>
internal static class BatchBundles
{
    public static List<BatchUnit> Form(IReadOnlyList<RankedOrder> orders, DateTimeOffset?[] holds, DateTimeOffset now, DispatchPolicy policy)
    {
        var units = new List<BatchUnit>(orders.Count);
        var open = new List<int>(orders.Count);
        for (var r = 0; r < orders.Count; r++)
        {
            if (holds[r] is null && orders[r].Ranking.Eligible.Count > 0) open.Add(r);
        }
        var size = policy.MaxBundle > 1 && open.Count > 1 ? SizeByLoad(orders, open, policy.MaxBundle) : 1;
        if (size == 1)
        {
            foreach (var r in open) AddSingle(units, orders, holds, r, now, policy);
            return units;
        }

        var groups = new Dictionary<(LatLon, OrderKind), List<int>>();
        foreach (var r in open)
        {
            var request = orders[r].Request;
            if (request.Dropoff is null || request.Via is { Count: > 0 } || request.IsFrozen)
            {
                AddSingle(units, orders, holds, r, now, policy);
                continue;
            }
            if (!groups.TryGetValue((request.Pickup, request.Kind), out var group)) groups[(request.Pickup, request.Kind)] = group = [];
            group.Add(r);
        }
        foreach (var group in groups.Values)
        {
            // Ready times in the past count as now: orders all ready already hold each other up by nothing.
            DateTimeOffset Ready(int r) => orders[r].Request.ReadyAt is { } at && at > now ? at : now;
            group.Sort((a, b) =>
            {
                var byReady = Ready(a).CompareTo(Ready(b));
                return byReady != 0 ? byReady : orders[a].Request.OrderId.CompareTo(orders[b].Request.OrderId);
            });
            var current = new List<int>(size);
            foreach (var r in group)
            {
                if (current.Count > 0 && (current.Count >= size || Ready(r) - Ready(current[0]) > policy.BundleReadySpread))
                {
                    Add(units, orders, holds, current, now, policy);
                    current = new List<int>(size);
                }
                current.Add(r);
            }
            Add(units, orders, holds, current, now, policy);
        }
        return units;
    }

    /// <summary>Orders per courier, rounded up, between 1 and the most a bundle holds.</summary>
    private static int SizeByLoad(IReadOnlyList<RankedOrder> orders, List<int> open, int maxBundle)
    {
        var supply = new HashSet<Guid>();
        foreach (var r in open)
        {
            foreach (var c in orders[r].Ranking.Eligible) supply.Add(c.CourierId);
        }
        return Math.Clamp((open.Count + supply.Count - 1) / Math.Max(1, supply.Count), 1, maxBundle);
    }

    /// <summary>A bundle when some courier may take all of it; otherwise each order alone.</summary>
    private static void Add(List<BatchUnit> units, IReadOnlyList<RankedOrder> orders, DateTimeOffset?[] holds, List<int> members, DateTimeOffset now, DispatchPolicy policy)
    {
        if (members.Count == 1)
        {
            AddSingle(units, orders, holds, members[0], now, policy);
            return;
        }
        var bundle = Bundle(orders, [.. members], now, policy);
        if (bundle.Options.Count > 0)
        {
            units.Add(bundle);
            return;
        }
        foreach (var r in members) AddSingle(units, orders, holds, r, now, policy);
    }

    /// <summary>The order as its own row, unless it is held for late commitment.</summary>
    private static void AddSingle(List<BatchUnit> units, IReadOnlyList<RankedOrder> orders, DateTimeOffset?[] holds, int r, DateTimeOffset now, DispatchPolicy policy)
    {
        if (holds[r] is null) units.Add(Single(orders, r, now, policy));
    }

    private static BatchUnit Single(IReadOnlyList<RankedOrder> orders, int r, DateTimeOffset now, DispatchPolicy policy)
    {
        var eligible = orders[r].Ranking.Eligible;
        var credit = AgeCredit(orders[r].Request, now, policy);
        var options = new List<(Guid, double)>(eligible.Count);
        foreach (var c in eligible) options.Add((c.CourierId, Member(c, now) + Trip(c, now, policy) - credit));
        return new BatchUnit([r], options, WaitSeconds(orders[r], now, policy));
    }

    private static BatchUnit Bundle(IReadOnlyList<RankedOrder> orders, int[] members, DateTimeOffset now, DispatchPolicy policy)
    {
        var credit = 0.0;
        foreach (var r in members) credit += AgeCredit(orders[r].Request, now, policy);
        var options = new List<(Guid, double)>();
        var each = new RankedCandidate[members.Length];
        foreach (var c in orders[members[0]].Ranking.Eligible)
        {
            if (c.BundleRoom < members.Length) continue;
            each[0] = c;
            var all = true;
            for (var m = 1; m < members.Length && all; m++)
            {
                all = Find(orders[members[m]].Ranking.Eligible, c.CourierId, out each[m]);
            }
            if (all && Seconds(orders, members, each, now, policy) is { } seconds) options.Add((c.CourierId, seconds + Trip(c, now, policy) - credit));
        }
        var wait = 0.0;
        foreach (var r in members) wait += WaitSeconds(orders[r], now, policy);
        return new BatchUnit(members, options, wait);
    }

    /// <summary>
    /// What one order costs the round with this courier, seconds: with the trip planned, the seconds until it is delivered
    /// (click-to-door is what the customer waits) plus the ranker's penalties that are not about time — the delay to the
    /// orders on board, asking a decliner again, fairness; without a plan, the ranked cost.
    /// </summary>
    private static double Member(RankedCandidate c, DateTimeOffset now) =>
        c.DropoffAt is { } dropoff ? (dropoff - now).TotalSeconds + c.LoadPenaltySeconds + c.DeclinePenaltySeconds + c.FairnessSeconds : c.Cost;

    /// <summary>
    /// Once per trip, with the plan known: the courier's drive to the pickup at <see cref="DispatchPolicy.DriveWeight"/> (a
    /// courier driving is one no other order can have), and the freeing margin for a courier still busy (on a tie the
    /// courier free now goes).
    /// </summary>
    private static double Trip(RankedCandidate c, DateTimeOffset now, DispatchPolicy policy)
    {
        if (c.DropoffAt is null) return 0;
        if (c.FreeAt is not { } free) return policy.DriveWeight * c.SecondsToPickup;
        var drive = c.SecondsToPickup - (free - now).TotalSeconds - policy.FreeingMarginSeconds;
        return (policy.DriveWeight * drive) + policy.FreeingMarginSeconds;
    }

    /// <summary>
    /// The members' own costs with this courier plus how much later each drop-off comes in the shared trip than alone: the
    /// courier leaves the pickup with the last-ready member and drops off nearest first. Null when the plan times are unknown.
    /// </summary>
    internal static double? Seconds(IReadOnlyList<RankedOrder> orders, int[] members, RankedCandidate[] each, DateTimeOffset now, DispatchPolicy policy)
    {
        var pickup = orders[members[0]].Request.Pickup;
        var leave = DateTimeOffset.MinValue;
        var cost = 0.0;
        var (longest, secondsPerMetre) = (0.0, 0.0);
        for (var m = 0; m < members.Length; m++)
        {
            if (each[m].PickupAt is not { } at || each[m].DropoffAt is not { } drop) return null;
            if (at > leave) leave = at;
            cost += Member(each[m], now);
            // This courier's drive, seconds per crow-fly metre, read off the longest trip alone (the ranker's own leg model).
            var metres = GeoMath.DistanceMetres(pickup, orders[members[m]].Request.Dropoff!.Value);
            if (metres > longest) (longest, secondsPerMetre) = (metres, Math.Max(0, (drop - at).TotalSeconds - (policy.StopServiceSeconds / 2)) / metres);
        }
        var left = new List<int>(Enumerable.Range(0, members.Length));
        var here = pickup;
        var clock = leave;
        while (left.Count > 0)
        {
            var next = left.MinBy(m => GeoMath.DistanceMetres(here, orders[members[m]].Request.Dropoff!.Value));
            left.Remove(next);
            var dropoff = orders[members[next]].Request.Dropoff!.Value;
            clock = clock.AddSeconds((GeoMath.DistanceMetres(here, dropoff) * secondsPerMetre) + (policy.StopServiceSeconds / 2));
            cost += Math.Max(0, (clock - each[next].DropoffAt!.Value).TotalSeconds);
            clock = clock.AddSeconds(policy.StopServiceSeconds / 2);
            here = dropoff;
        }
        return cost;
    }

    internal static bool Find(IReadOnlyList<RankedCandidate> eligible, Guid courierId, out RankedCandidate found)
    {
        foreach (var c in eligible)
        {
            if (c.CourierId != courierId) continue;
            found = c;
            return true;
        }
        found = default;
        return false;
    }

    /// <summary>
    /// What waiting costs an order, without the age credit: as if picked up <see cref="DispatchPolicy.WaitHorizon"/> from now
    /// (or when ready, if later) and delivered as long after as with its cheapest courier — the seconds until then with the
    /// trip planned, its cost terms with a courier that far away otherwise.
    /// </summary>
    private static double WaitSeconds(RankedOrder order, DateTimeOffset now, DispatchPolicy policy)
    {
        var cheapest = order.Ranking.Eligible[0];
        var arrive = now + policy.WaitHorizon;
        var ready = order.Request.ReadyAt is { } at && at > arrive ? at : arrive;
        if (cheapest.PickupAt is { } pickedUp && cheapest.DropoffAt is { } delivered) return (ready - now + (delivered - pickedUp)).TotalSeconds;
        var seconds = policy.WaitHorizon.TotalSeconds + ((ready - arrive).TotalSeconds * policy.ReadyWaitWeight);
        if (order.Request.PromisedAt is { } promised && cheapest.PickupAt is { } pickup && cheapest.DropoffAt is { } dropoff)
        {
            var late = ready.AddSeconds(policy.StopServiceSeconds) + (dropoff - pickup) - promised;
            seconds += Math.Max(0, late.TotalSeconds) * policy.LatenessWeight;
        }
        return seconds;
    }

    /// <summary>Seconds an order's age takes off the cost of serving it now.</summary>
    public static double AgeCredit(DispatchRequest request, DateTimeOffset now, DispatchPolicy policy) =>
        request.PlacedAt is { } placed && placed < now ? (now - placed).TotalSeconds * policy.AgeWeight : 0;
}
