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
/// assignment (exact, <see cref="AssignmentSolver"/>). Feasibility and cost terms are the sequential strategy's own
/// (<see cref="CandidateRanker"/>), so the two differ only in how they choose. A courier gets at most one order per
/// round. Orders whose eligible couriers all serve other orders better wait for the next round, and say so.
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
        var couriers = new List<Guid>();
        var indexOf = new Dictionary<Guid, int>();
        var sparse = new List<IReadOnlyList<AssignmentCandidate>>(orders.Count);
        // Late commitment: an order whose goods are not ready soon enough even for its nearest courier sits the round out.
        var holds = new DateTimeOffset?[orders.Count];
        for (var r = 0; r < orders.Count; r++)
        {
            var ranking = orders[r].Ranking;
            if (ranking.Eligible.Count > 0) holds[r] = CandidateRanker.HoldUntil(orders[r].Request, ranking.Eligible.MinBy(c => c.SecondsToPickup)!, now, policy);
            if (holds[r] is not null)
            {
                sparse.Add([]);
                continue;
            }
            var row = new List<AssignmentCandidate>(ranking.Eligible.Count);
            foreach (var c in ranking.Eligible)
            {
                if (!indexOf.TryGetValue(c.CourierId, out var index))
                {
                    index = couriers.Count;
                    indexOf[c.CourierId] = index;
                    couriers.Add(c.CourierId);
                }
                row.Add(new AssignmentCandidate(index, (long)Math.Round(c.Cost * Scale)));
            }
            sparse.Add(row);
        }
        var result = AssignmentSolver.SolveSparse(sparse);
        var orderOfCourier = new Dictionary<Guid, Guid>();
        for (var r = 0; r < orders.Count; r++)
        {
            if (result.CourierOfOrder[r] != AssignmentSolver.Unassigned) orderOfCourier[couriers[result.CourierOfOrder[r]]] = orders[r].Request.OrderId;
        }

        var decisions = new List<BatchDecision>(orders.Count);
        var header = $"batch: one matching of {orders.Count} waiting order(s) to {couriers.Count} eligible courier(s), minimum total cost " +
            $"({DispatchExplanation.CostTerms(policy)}), at most one order per courier per round";
        // Most orders share their rule text word for word: one string each, not one per order (a round explains a thousand).
        var cheapest = $"{header}; its cheapest eligible courier";
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var r = 0; r < orders.Count; r++)
        {
            var order = orders[r];
            var ranking = order.Ranking;
            var chosen = result.CourierOfOrder[r];
            RankedCandidate? winner = chosen == AssignmentSolver.Unassigned ? null : ranking.Eligible.First(c => c.CourierId == couriers[chosen]);
            var winnerId = winner?.CourierId;
            string rule;
            if (holds[r] is { } hold)
            {
                rule = $"{header}; held: the goods are ready at {order.Request.ReadyAt:HH:mm:ss} UTC and the nearest courier needs " +
                    $"{ranking.Eligible.Min(c => c.SecondsToPickup) / 60:0.#} min, so it is offered from about {hold:HH:mm:ss} UTC";
            }
            else if (winner is null)
            {
                rule = ranking.Eligible.Count == 0
                    ? Shared(rules, $"{header}; no eligible courier within {order.RadiusMetres:0} m, waits for the next round")
                    : Shared(rules, $"{header}; every eligible courier serves another order at lower total cost, waits for the next round");
            }
            else if (ranking.Eligible[0].CourierId != winnerId && orderOfCourier.TryGetValue(ranking.Eligible[0].CourierId, out var other))
            {
                rule = $"{header}; its cheapest courier {ranking.Eligible[0].CourierId:N} went to order {other:N}, which lowers the total";
            }
            else
            {
                rule = cheapest;
            }
            var chosenIds = winnerId is { } id ? [id] : Array.Empty<Guid>();
            decisions.Add(new BatchDecision(order.Request.OrderId, winner,
                new DispatchExplanation(rule, order.RadiusMetres, DispatchExplanation.EligibleOf(ranking), DispatchExplanation.ExcludedOf(ranking), chosenIds)));
        }
        return decisions;
    }

    private static string Shared(Dictionary<string, string> rules, string rule)
    {
        if (rules.TryGetValue(rule, out var shared)) return shared;
        rules[rule] = rule;
        return rule;
    }
}
