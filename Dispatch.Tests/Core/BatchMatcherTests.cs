using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class BatchMatcherTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(1);
    private static readonly Guid Order1 = new("00000000-0000-0000-0000-000000000001"), Order2 = new("00000000-0000-0000-0000-000000000002"), Order3 = new("00000000-0000-0000-0000-000000000003");

    private static CourierSnapshot Courier(int n, Equipment equipment = Equipment.InsulatedBox) =>
        new(new Guid($"00000000-0000-0000-0000-0000000000a{n}"), "z", 43.73, 7.42, Now, equipment, Vehicle.Scooter, 3, 0, CourierActivity.Idle);

    private static BatchOrder Order(Guid id, params Candidate[] candidates) =>
        new(new DispatchRequest(id, OrderKind.Errand, false, new LatLon(43.73, 7.42), new HashSet<Guid>()), candidates, 1_500);

    [Fact]
    public void The_round_beats_first_come_first_served()
    {
        // Order 1 came first. Greedy gives it A (400 m) and leaves order 2 with B (1,600 m): 2,000 m in all.
        // One matching gives order 1 to B (600 m) and order 2 to A (600 m): 1,200 m.
        CourierSnapshot a = Courier(1), b = Courier(2);
        var decisions = BatchMatcher.Match([Order(Order1, new(a, 400), new(b, 600)), Order(Order2, new(a, 600), new(b, 1_600))], Now, Stale);

        Assert.Equal(b.CourierId, decisions[0].Winner!.Value.CourierId);
        Assert.Equal(a.CourierId, decisions[1].Winner!.Value.CourierId);
        Assert.StartsWith("batch: one matching of 2 waiting order(s) to 2 eligible courier(s)", decisions[0].Explanation.Rule, StringComparison.Ordinal);
        Assert.Contains($"its cheapest courier {a.CourierId:N} went to order {Order2:N}", decisions[0].Explanation.Rule, StringComparison.Ordinal);
        Assert.Equal([b.CourierId], decisions[0].Explanation.Chosen);
        Assert.Equal(2, decisions[0].Explanation.Eligible.Length); // both candidates shown with their cost terms
    }

    [Fact]
    public void Orders_without_a_courier_wait_and_say_why()
    {
        CourierSnapshot plain = Courier(1, Equipment.None), box = Courier(2);
        var frozen = new BatchOrder(new DispatchRequest(Order3, OrderKind.Frozen, true, new LatLon(43.73, 7.42), new HashSet<Guid>()), [new(plain, 100)], 1_500);
        var decisions = BatchMatcher.Match([Order(Order1, new Candidate(box, 300)), Order(Order2, new Candidate(box, 900)), frozen], Now, Stale);

        Assert.Equal(box.CourierId, decisions[0].Winner!.Value.CourierId);         // the cheaper use of the one courier
        Assert.Null(decisions[1].Winner);
        Assert.EndsWith("every eligible courier serves another order at lower total cost, waits for the next round", decisions[1].Explanation.Rule, StringComparison.Ordinal);
        Assert.Null(decisions[2].Winner);                                     // never forced onto a courier without cold equipment
        Assert.Contains("no eligible courier within 1500 m", decisions[2].Explanation.Rule, StringComparison.Ordinal);
        Assert.Contains(decisions[2].Explanation.Excluded, x => x.CourierId == plain.CourierId && x.Reason.Contains("insulated box", StringComparison.Ordinal));
    }

    [Fact]
    public void The_total_is_the_least_of_every_way_to_assign_a_small_round()
    {
        var random = new Random(11);
        for (var round = 0; round < 40; round++)
        {
            var couriers = Enumerable.Range(1, random.Next(1, 5)).Select(n => Courier(n)).ToArray();
            var orders = Enumerable.Range(1, random.Next(1, 5)).Select(o => Order(new Guid($"00000000-0000-0000-0000-0000000000{o:00}"),
                [.. couriers.Where(_ => random.NextDouble() < 0.8).Select(c => new Candidate(c, random.Next(50, 3_000)))])).ToArray();
            var decisions = BatchMatcher.Match(orders, Now, Stale);

            var assigned = decisions.Count(d => d.Winner is not null);
            var total = decisions.Where(d => d.Winner is not null).Sum(d => d.Winner!.Value.Cost);
            var (bestCount, bestTotal) = BruteForce(orders, 0, new HashSet<Guid>());
            Assert.Equal(bestCount, assigned);
            Assert.InRange(total, bestTotal - 0.25, bestTotal + 0.25); // the solver compares tenths of a second
            Assert.Equal(assigned, decisions.Where(d => d.Winner is not null).Select(d => d.Winner!.Value.CourierId).Distinct().Count());
        }
    }

    // Most orders assigned, then least total cost, over every assignment (straight-line costs, as the matcher prices them).
    private static (int Count, double Total) BruteForce(BatchOrder[] orders, int i, HashSet<Guid> used)
    {
        if (i == orders.Length) return (0, 0);
        var best = BruteForce(orders, i + 1, used);
        foreach (var c in orders[i].Candidates)
        {
            if (!used.Add(c.Courier.CourierId)) continue;
            var cost = CandidateRanker.Rank(orders[i].Request, [c], Now, Stale).Eligible[0].Cost;
            var (count, total) = BruteForce(orders, i + 1, used);
            used.Remove(c.Courier.CourierId);
            if (count + 1 > best.Count || (count + 1 == best.Count && total + cost < best.Total - 1e-6)) best = (count + 1, total + cost);
        }
        return best;
    }
}
