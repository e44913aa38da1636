using Dispatch.Core.Matching.Assignment;
using Dispatch.Core.Routing;

namespace Dispatch.Core.Matching;

/// <summary>One waiting order in a batch round: what dispatch knows of it, its nearby couriers, and the search radius used.</summary>
public sealed record BatchOrder(DispatchRequest Request, IReadOnlyList<Candidate> Candidates, double RadiusMetres);

/// <summary>A waiting order already ranked (<see cref="CandidateRanker.Rank"/> of its candidates) and the search radius used.</summary>
public sealed record RankedOrder(DispatchRequest Request, Ranking Ranking, double RadiusMetres);

/// <summary>The round's answer for one order: its courier (null when it waits for the next round) and why.</summary>
public sealed record BatchDecision(Guid OrderId, RankedCandidate? Winner, DispatchExplanation Explanation);

/// <summary>
/// The batch strategy: all waiting orders of a zone against all their eligible couriers at once, as one minimum-cost
/// assignment (exact, <see cref="AssignmentSolver"/>). Feasibility, trip plans and penalties are the sequential strategy's
/// own (<see cref="CandidateRanker"/>); the round prices each order by when it would be delivered (what the customer waits),
/// plus a quarter of the courier's drive, less its age. A courier gets at most one trip per round: one order, or a bundle
/// of one pickup's orders formed before the matching when orders outnumber couriers. An order may wait instead (priced at
/// <see cref="DispatchPolicy.WaitHorizon"/>), also for a busy courier who frees up soon (ranked with freeing couriers).
/// Orders ready within <see cref="DispatchPolicy.ReadyHorizon"/> are planned and hold their courier until it is time to
/// send them (late commitment), and every decision says why.
/// </summary>
public static class BatchMatcher
{
    /// <summary>Costs are compared in tenths of a second (the solver is exact on integers).</summary>
    private const double Scale = 10;

    /// <summary>From this many orders a round's rankings are computed on every core (each order's ranking is independent).</summary>
    public const int ParallelFromOrders = 64;

    public static IReadOnlyList<BatchDecision> Match(IReadOnlyList<BatchOrder> orders, DateTimeOffset now, TimeSpan staleAfter, ITravelTimeModel? travel = null, DispatchPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var ranked = new RankedOrder[orders.Count];
        For(orders.Count, r => ranked[r] = new RankedOrder(orders[r].Request,
            CandidateRanker.Rank(orders[r].Request, orders[r].Candidates, now, staleAfter, travel, policy), orders[r].RadiusMetres));
        return MatchRanked(ranked, now, policy);
    }

    /// <summary>Runs <paramref name="body"/> for 0 … count − 1, on every core from <see cref="ParallelFromOrders"/> on.</summary>
    public static void For(int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count >= ParallelFromOrders)
        {
            Parallel.For(0, count, body);
            return;
        }
        for (var i = 0; i < count; i++) body(i);
    }

    /// <summary>
    /// <see cref="Match"/> for orders already ranked: the server ranks while it searches (each order's candidates are
    /// searched and ranked in one step and not kept), to widen the search for orders no courier near may take.
    /// </summary>
    public static IReadOnlyList<BatchDecision> MatchRanked(IReadOnlyList<RankedOrder> orders, DateTimeOffset now, DispatchPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(orders);
        policy ??= DispatchPolicy.Default;
        // Late commitment, in two steps. An order whose goods are ready beyond the ready horizon, and too late even for its
        // nearest courier, sits the round out. The others are planned, each with a courier, but one whose courier would be at
        // the pickup long before the goods are ready is held with that courier (below): not sent, and not given to another.
        var holds = new DateTimeOffset?[orders.Count];
        for (var r = 0; r < orders.Count; r++)
        {
            var ranking = orders[r].Ranking;
            if (ranking.Eligible.Count > 0 && orders[r].Request.ReadyAt is { } ready && ready > now + policy.ReadyHorizon)
                holds[r] = CandidateRanker.HoldUntil(orders[r].Request, ranking.Eligible.MinBy(c => c.SecondsToPickup)!, now, policy);
        }
        var units = BatchBundles.Form(orders, holds, now, policy);
        var couriers = new List<Guid>();
        var indexOf = new Dictionary<Guid, int>();
        foreach (var unit in units)
        {
            foreach (var (id, _) in unit.Options)
            {
                if (indexOf.TryAdd(id, couriers.Count)) couriers.Add(id);
            }
        }
        // Each row may also wait for a later round (its own column, after the couriers): priced as a courier the wait horizon
        // away, without the age credit, so only a courier that much better than waiting is sent while the order is young.
        var sparse = new List<IReadOnlyList<AssignmentCandidate>>(units.Count);
        for (var u = 0; u < units.Count; u++)
        {
            var unit = units[u];
            var row = new List<AssignmentCandidate>(unit.Options.Count + 1);
            foreach (var (id, seconds) in unit.Options) row.Add(new AssignmentCandidate(indexOf[id], (long)Math.Round(seconds * Scale)));
            row.Add(new AssignmentCandidate(couriers.Count + u, (long)Math.Round(unit.WaitSeconds * Scale)));
            sparse.Add(row);
        }
        var result = AssignmentSolver.SolveSparse(sparse);
        var unitOf = new int[orders.Count];
        Array.Fill(unitOf, -1);
        var courierOfUnit = new Guid?[units.Count];
        var orderOfCourier = new Dictionary<Guid, Guid>();
        for (var u = 0; u < units.Count; u++)
        {
            foreach (var r in units[u].Members) unitOf[r] = u;
            var column = result.CourierOfOrder[u];
            if (column == AssignmentSolver.Unassigned || column >= couriers.Count) continue;
            courierOfUnit[u] = couriers[column];
            orderOfCourier[couriers[column]] = orders[units[u].Members[0]].Request.OrderId;
        }

        // A courier sent now takes along rows of the same pickup not sent this round when that delivers them all sooner.
        var sentNow = new bool[units.Count];
        for (var u = 0; u < units.Count; u++) sentNow[u] = courierOfUnit[u] is { } c && SentNow(orders, units[u], c, now, policy);
        var ridesWith = RideAlong.Absorb(orders, units, courierOfUnit, sentNow, now, policy);
        var ridesAlong = new bool[orders.Count];
        var plannedBefore = new bool[orders.Count];
        for (var v = 0; v < units.Count; v++)
        {
            var u = ridesWith[v];
            if (u < 0) continue;
            units[u] = units[u] with { Members = [.. units[u].Members, .. units[v].Members] };
            foreach (var r in units[v].Members)
            {
                unitOf[r] = u;
                ridesAlong[r] = true;
                plannedBefore[r] = courierOfUnit[v] is not null;
            }
        }

        var decisions = new List<BatchDecision>(orders.Count);
        var header = $"batch: one matching of {orders.Count} waiting order(s) to {couriers.Count} eligible courier(s), minimum total of the seconds " +
            $"until each order is delivered plus {policy.DriveWeight:0.##} × its courier's drive, less {policy.AgeWeight:0.##} × its age, " +
            $"and the penalties of each courier's cost ({DispatchExplanation.CostTerms(policy)}), at most one trip per courier per round";
        // Most orders share their rule text word for word: one string each, not one per order (a round explains a thousand).
        var cheapest = $"{header}; its cheapest eligible courier";
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var r = 0; r < orders.Count; r++)
        {
            var order = orders[r];
            var ranking = order.Ranking;
            var unit = unitOf[r] < 0 ? null : units[unitOf[r]];
            var chosenId = unitOf[r] < 0 ? null : courierOfUnit[unitOf[r]];
            RankedCandidate? winner = chosenId is { } cid ? ranking.Eligible.First(c => c.CourierId == cid) : null;
            var bundled = unit is { IsBundle: true }
                ? $"bundled with {Others(orders, unit, r)} from the same {(order.Request.Kind == Orders.OrderKind.HotFood ? "restaurant" : "pickup")}"
                : null;
            string rule;
            // An order alone whose courier is free now but would reach the pickup long before the goods are ready.
            var heldWith = winner is { FreeAt: null } sent && bundled is null ? CandidateRanker.HoldUntil(order.Request, sent, now, policy) : null;
            if (holds[r] is { } hold && bundled is null)
            {
                rule = $"{header}; held: the goods are ready at {order.Request.ReadyAt:HH:mm:ss} UTC, beyond the {policy.ReadyHorizon.TotalMinutes:0}-min " +
                    $"planning horizon, and the nearest courier needs {ranking.Eligible.Min(c => c.SecondsToPickup) / 60:0.#} min, so it is offered from about {hold:HH:mm:ss} UTC";
            }
            else if (winner is null)
            {
                rule = ranking.Eligible.Count == 0
                    ? Shared(rules, $"{header}; no eligible courier within {order.RadiusMetres:0} m, waits for the next round")
                    : unit!.Options.Any(o => !orderOfCourier.ContainsKey(o.CourierId))
                        ? Shared(rules, $"{header}; waiting is cheaper than sending any eligible courier now (the wait is priced as a courier " +
                            $"{policy.WaitHorizon.TotalMinutes:0} min away), waits for the next round")
                        : Shared(rules, $"{header}; every eligible courier serves another order at lower total cost, waits for the next round");
                if (bundled is not null) rule = $"{rule}; {bundled}";
            }
            else if (winner.Value.FreeAt is { } freeAt)
            {
                rule = $"{header}; waiting for a courier who frees up at {freeAt:HH:mm} UTC {Near(winner.Value.DistanceMetres)} the pickup " +
                    $"(courier {winner.Value.CourierId:N}, at the pickup in about {winner.Value.SecondsToPickup / 60:0} min), better than anyone free now" +
                    (bundled is null ? "" : $"; {bundled}");
                winner = null;
            }
            else if (heldWith is { } until)
            {
                rule = $"{header}; held with its courier {winner.Value.CourierId:N}: they would reach the pickup " +
                    $"{(order.Request.ReadyAt!.Value - now).TotalSeconds / 60 - (winner.Value.SecondsToPickup / 60):0} min before the goods are ready at " +
                    $"{order.Request.ReadyAt:HH:mm:ss} UTC, so they stay planned for it, not given another order, and are offered it from about {until:HH:mm:ss} UTC";
                winner = null;
            }
            else if (ridesAlong[r])
            {
                rule = $"{header}; rides along with {Others(orders, unit!, r)} from the same {(order.Request.Kind == Orders.OrderKind.HotFood ? "restaurant" : "pickup")}: " +
                    $"their courier leaves now, and taking it too delivers them all sooner in total than {(plannedBefore[r] ? "its own planned courier would" : "waiting for a later round")}";
            }
            else if (bundled is not null && BundleHold(orders, unit!, winner.Value.CourierId, now, policy) is { } bundleHold)
            {
                // Late commitment for the bundle: its courier would wait long for the last of the goods.
                rule = $"{header}; {bundled}; held: its courier would wait for the last of the goods, so it is offered from about {bundleHold:HH:mm:ss} UTC";
                winner = null;
            }
            else if (bundled is not null)
            {
                rule = $"{header}; {bundled}, one courier for all {unit!.Members.Length}";
            }
            else if (ranking.Eligible[0].CourierId != chosenId && orderOfCourier.TryGetValue(ranking.Eligible[0].CourierId, out var other))
            {
                rule = $"{header}; its cheapest courier {ranking.Eligible[0].CourierId:N} went to order {other:N}, which lowers the total";
            }
            else
            {
                rule = cheapest;
            }
            var chosenIds = winner is { } w ? [w.CourierId] : Array.Empty<Guid>();
            decisions.Add(new BatchDecision(order.Request.OrderId, winner,
                new DispatchExplanation(rule, order.RadiusMetres, DispatchExplanation.EligibleOf(ranking), DispatchExplanation.ExcludedOf(ranking), chosenIds)));
        }
        return decisions;
    }

    /// <summary>Whether the row's courier is offered it this round: free now, and not held for late commitment.</summary>
    private static bool SentNow(IReadOnlyList<RankedOrder> orders, BatchUnit unit, Guid courierId, DateTimeOffset now, DispatchPolicy policy)
    {
        var first = orders[unit.Members[0]];
        var ranked = first.Ranking.Eligible.First(c => c.CourierId == courierId);
        if (ranked.FreeAt is not null) return false;
        return unit.IsBundle ? BundleHold(orders, unit, courierId, now, policy) is null : CandidateRanker.HoldUntil(first.Request, ranked, now, policy) is null;
    }

    /// <summary>The latest moment any member of the bundle would be held for with this courier, or null: send now.</summary>
    private static DateTimeOffset? BundleHold(IReadOnlyList<RankedOrder> orders, BatchUnit unit, Guid courierId, DateTimeOffset now, DispatchPolicy policy)
    {
        DateTimeOffset? latest = null;
        foreach (var m in unit.Members)
        {
            var ranked = orders[m].Ranking.Eligible.First(c => c.CourierId == courierId);
            if (CandidateRanker.HoldUntil(orders[m].Request, ranked, now, policy) is { } hold && (latest is null || hold > latest)) latest = hold;
        }
        return latest;
    }

    /// <summary>The other orders of a bundle, as a dispatcher names them.</summary>
    private static string Others(IReadOnlyList<RankedOrder> orders, BatchUnit unit, int self) =>
        string.Join(", ", unit.Members.Where(m => m != self).Select(m => orders[m].Request.Reference ?? orders[m].Request.OrderId.ToString("N")));

    private static string Near(double metres) => metres < 1_000 ? $"{metres:0} m from" : $"{metres / 1000:0.#} km from";

    private static string Shared(Dictionary<string, string> rules, string rule)
    {
        if (rules.TryGetValue(rule, out var shared)) return shared;
        rules[rule] = rule;
        return rule;
    }
}
