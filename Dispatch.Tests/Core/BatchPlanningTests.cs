using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

/// <summary>
/// The batch round's plan beyond one order per idle courier: waiting for a courier who frees up, bundles of one pickup,
/// order age and the option to wait; each decision says so in the words a dispatcher reads.
/// </summary>
public sealed class BatchPlanningTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(1);
    private static readonly LatLon Restaurant = new(43.7300, 7.4200);

    private static Guid Id(int n) => new(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>About <paramref name="northMetres"/> north and <paramref name="eastMetres"/> east of the restaurant.</summary>
    private static LatLon Near(double northMetres, double eastMetres) =>
        new(Restaurant.Lat + (northMetres / 111_195), Restaurant.Lon + (eastMetres / (111_195 * Math.Cos(Restaurant.Lat * Math.PI / 180))));

    private static CourierSnapshot Courier(int n, LatLon at, int capacity = 3, int active = 0) =>
        new(Id(n), "z", at.Lat, at.Lon, Now, Equipment.InsulatedBox, Vehicle.Scooter, capacity, active, active > 0 ? CourierActivity.Carrying : CourierActivity.Idle);

    /// <summary>Ready now, promised in an hour (so lateness plays no part), placed <paramref name="age"/> ago.</summary>
    private static DispatchRequest Order(int n, LatLon pickup, LatLon dropoff, TimeSpan age, string? reference = null) =>
        new(Id(n), OrderKind.HotFood, false, pickup, new HashSet<Guid>(), null, dropoff, Now, Now.AddHours(1), PlacedAt: Now - age, Reference: reference);

    private static Candidate Candidate(CourierSnapshot courier, IReadOnlyList<CarriedOrder>? carrying = null) =>
        new(courier, GeoMath.DistanceMetres(courier.Position, Restaurant), carrying ?? []);

    private static IReadOnlyList<BatchDecision> Round(DispatchPolicy policy, bool withFreeing, params (DispatchRequest Request, Candidate[] Candidates)[] orders) =>
        BatchMatcher.MatchRanked(
            [.. orders.Select(o => new RankedOrder(o.Request, CandidateRanker.Rank(o.Request, o.Candidates, Now, Stale, null, policy, withFreeing), 5_000))],
            Now, policy);

    [Fact]
    public void An_order_waits_for_a_courier_who_frees_up_near_the_pickup_instead_of_pulling_one_from_across_town()
    {
        // "busy" is 300 m from its last drop-off, which is 400 m from the restaurant: free in about 2 minutes and at the
        // pickup in about 5. "far" is idle but 6 km away: about 19 minutes.
        var lastDropoff = Near(400, 0);
        var carried = new CarriedOrder(Id(90), OrderKind.HotFood, Near(700, 0), lastDropoff, Now.AddMinutes(20), Now.AddMinutes(-3));
        var busy = Candidate(Courier(1, Near(700, 0), capacity: 1, active: 1), [carried]);
        var far = Candidate(Courier(2, Near(-6_000, 0)));
        var order = Order(10, Restaurant, Near(0, 1_500), TimeSpan.Zero);

        var decision = Round(DispatchPolicy.Default, true, (order, [busy, far])).Single();

        Assert.Null(decision.Winner);
        Assert.Empty(decision.Explanation.Chosen);
        var planned = decision.Explanation.Eligible.Single(c => c.CourierId == Id(1));
        var freeAt = Assert.NotNull(planned.FreeAt);
        Assert.InRange(freeAt, Now.AddMinutes(1), Now.AddMinutes(6));
        Assert.InRange(planned.DistanceMetres, 390, 410); // measured from where they will be free
        Assert.Contains($"waiting for a courier who frees up at {freeAt:HH:mm} UTC 400 m from the pickup", decision.Explanation.Rule, StringComparison.Ordinal);

        // Ranked as the server's sequential dispatch ranks (no freeing couriers): at capacity, and the far courier is sent.
        var today = Round(DispatchPolicy.Default, false, (order, [busy, far])).Single();
        Assert.Equal(Id(2), today.Winner?.CourierId);
        Assert.Contains(today.Explanation.Excluded, x => x.CourierId == Id(1) && x.Reason.StartsWith("at capacity", StringComparison.Ordinal));
    }

    [Fact]
    public void A_busy_courier_is_not_waited_for_beyond_the_freeing_horizon()
    {
        var lastDropoff = Near(9_000, 0); // about 20 minutes of driving left
        var carried = new CarriedOrder(Id(90), OrderKind.HotFood, Restaurant, lastDropoff, Now.AddMinutes(30), Now.AddMinutes(-1));
        var busy = Candidate(Courier(1, Restaurant, capacity: 1, active: 1), [carried]);

        var ranking = CandidateRanker.Rank(Order(10, Restaurant, Near(0, 1_500), TimeSpan.Zero), [busy], Now, Stale, withFreeing: true);

        Assert.Empty(ranking.Eligible);
        Assert.StartsWith("at capacity", Assert.Single(ranking.Excluded).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void When_orders_outnumber_couriers_one_courier_takes_a_bundle_from_the_same_restaurant()
    {
        var courier = Candidate(Courier(1, Near(500, 0)));
        var a = Order(10, Restaurant, Near(0, 1_500), TimeSpan.FromMinutes(5), "D-000123");
        var b = Order(11, Restaurant, Near(100, 1_600), TimeSpan.FromMinutes(4), "D-000124");
        var policy = DispatchPolicy.Default with { MaxBundle = 3 };

        var decisions = Round(policy, true, (a, [courier]), (b, [courier]));

        Assert.All(decisions, d => Assert.Equal(Id(1), d.Winner?.CourierId));
        Assert.Contains("bundled with D-000124 from the same restaurant, one courier for all 2", decisions[0].Explanation.Rule, StringComparison.Ordinal);
        Assert.Contains("bundled with D-000123 from the same restaurant", decisions[1].Explanation.Rule, StringComparison.Ordinal);

        // Without bundles (the default) the courier takes one order and the other waits.
        var single = Round(DispatchPolicy.Default, true, (a, [courier]), (b, [courier]));
        Assert.Single(single, d => d.Winner is not null);
    }

    [Fact]
    public void An_order_planned_for_a_freeing_courier_rides_along_with_the_courier_leaving_now_from_the_same_restaurant()
    {
        // Two couriers for two orders, so no bundle is formed before the matching: "near" goes now for D-000123, and
        // D-000124 (next door to it) is planned for "busy", free in a few minutes. Taking it along delivers both sooner.
        var lastDropoff = Near(1_000, 0);
        var carried = new CarriedOrder(Id(90), OrderKind.HotFood, Near(2_000, 0), lastDropoff, Now.AddMinutes(20), Now.AddMinutes(-3));
        var busy = Candidate(Courier(2, Near(2_000, 0), capacity: 1, active: 1), [carried]);
        var near = Candidate(Courier(1, Near(300, 0)));
        var a = Order(10, Restaurant, Near(0, 1_500), TimeSpan.FromMinutes(5), "D-000123");
        var b = Order(11, Restaurant, Near(100, 1_600), TimeSpan.FromMinutes(4), "D-000124");

        var decisions = Round(DispatchPolicy.Default with { MaxBundle = 3 }, true, (a, [near, busy]), (b, [near, busy]));

        Assert.All(decisions, d => Assert.Equal(Id(1), d.Winner?.CourierId));
        Assert.Contains("rides along with D-000123 from the same restaurant: their courier leaves now, and taking it too delivers them all sooner " +
            "in total than its own planned courier would", decisions[1].Explanation.Rule, StringComparison.Ordinal);
        Assert.Equal([Id(1)], decisions[1].Explanation.Chosen);

        // Without bundles (the default) D-000124 waits for the freeing courier.
        var single = Round(DispatchPolicy.Default, true, (a, [near, busy]), (b, [near, busy]));
        Assert.Equal(Id(1), single[0].Winner?.CourierId);
        Assert.Null(single[1].Winner);
        Assert.Contains("waiting for a courier who frees up", single[1].Explanation.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_is_not_formed_while_couriers_are_plenty()
    {
        Candidate one = Candidate(Courier(1, Near(500, 0))), two = Candidate(Courier(2, Near(-500, 0)));
        var policy = DispatchPolicy.Default with { MaxBundle = 3 };

        var decisions = Round(policy, true,
            (Order(10, Restaurant, Near(0, 1_500), TimeSpan.FromMinutes(5)), [one, two]), (Order(11, Restaurant, Near(0, -1_500), TimeSpan.FromMinutes(5)), [one, two]));

        Assert.Equal(2, decisions.Select(d => d.Winner?.CourierId).Distinct().Count());
        Assert.All(decisions, d => Assert.DoesNotContain("bundled", d.Explanation.Rule, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1.0, 10)]
    [InlineData(0.0, 11)]
    public void With_one_courier_for_two_orders_the_older_goes_first_unless_age_is_ignored(double ageWeight, int first)
    {
        // Order 10 waited 15 minutes longer; its pickup is 800 m further from the courier than order 11's.
        var courier = Candidate(Courier(1, Restaurant));
        var old = Order(10, Near(1_000, 0), Near(1_000, 1_000), TimeSpan.FromMinutes(20));
        var young = Order(11, Near(200, 0), Near(200, 1_000), TimeSpan.FromMinutes(5));

        var decisions = Round(DispatchPolicy.Default with { AgeWeight = ageWeight }, true, (old, [courier]), (young, [courier]));

        Assert.Equal(Id(first), Assert.Single(decisions, d => d.Winner is not null).OrderId);
        Assert.EndsWith("every eligible courier serves another order at lower total cost, waits for the next round",
            Assert.Single(decisions, d => d.Winner is null).Explanation.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void A_young_order_waits_rather_than_take_a_courier_far_beyond_the_wait_horizon_and_an_old_one_is_sent()
    {
        var far = Candidate(Courier(1, Near(-12_000, 0))); // about 38 minutes away
        var young = Order(10, Restaurant, Near(0, 1_500), TimeSpan.Zero);
        var old = Order(10, Restaurant, Near(0, 1_500), TimeSpan.FromHours(2));

        var waits = Round(DispatchPolicy.Default, true, (young, [far])).Single();
        var sent = Round(DispatchPolicy.Default, true, (old, [far])).Single();

        Assert.Null(waits.Winner);
        // Too far for a hot meal that has not waited (DispatchPolicy.HotFoodPickupWithin); two hours later anyone may come.
        Assert.Contains("35 min to the pickup (at most 20 min for hot food)", Assert.Single(waits.Explanation.Excluded).Reason, StringComparison.Ordinal);
        Assert.Equal(Id(1), sent.Winner?.CourierId);
    }

    [Fact]
    public void An_order_not_ready_yet_keeps_its_courier_planned_instead_of_losing_them_to_a_younger_order()
    {
        // "near" is 300 m from the restaurant, whose goods are ready in 12 minutes: sent now they would wait there ~10 minutes.
        // The order waited an hour already; a young order 2 km away is ready now. Planned together, the old order keeps the
        // courier (held with them until it is time to leave) and the young one waits, rather than the courier leaving with it.
        var near = Candidate(Courier(1, Near(300, 0)));
        var notReady = Order(10, Restaurant, Near(0, 1_500), TimeSpan.FromMinutes(60), "D-000010") with { ReadyAt = Now.AddMinutes(12) };
        var young = Order(11, Near(2_300, 0), Near(2_300, 1_500), TimeSpan.Zero, "D-000011");

        var decisions = Round(DispatchPolicy.Default, true, (notReady, [near]), (young, [near]));

        Assert.All(decisions, d => Assert.Null(d.Winner));
        Assert.Contains($"held with its courier {Id(1):N}: they would reach the pickup 11 min before the goods are ready at 12:12:00 UTC, so they stay planned for it, " +
            "not given another order, and are offered it from about 12:07", decisions[0].Explanation.Rule, StringComparison.Ordinal);
        Assert.EndsWith("every eligible courier serves another order at lower total cost, waits for the next round", decisions[1].Explanation.Rule, StringComparison.Ordinal);

        // Eight minutes later it is time: the courier is sent.
        var later = BatchMatcher.MatchRanked(
            [new RankedOrder(notReady, CandidateRanker.Rank(notReady, [near with { Courier = near.Courier with { At = Now.AddMinutes(8) } }], Now.AddMinutes(8), Stale, withFreeing: true), 5_000)],
            Now.AddMinutes(8), DispatchPolicy.Default);
        Assert.Equal(Id(1), Assert.Single(later).Winner?.CourierId);
    }

    [Fact]
    public void An_order_ready_beyond_the_planning_horizon_sits_the_round_out_and_says_so()
    {
        var near = Candidate(Courier(1, Near(300, 0)));
        var late = Order(10, Restaurant, Near(0, 1_500), TimeSpan.Zero) with { ReadyAt = Now.AddMinutes(45) };

        var decision = Round(DispatchPolicy.Default, true, (late, [near])).Single();

        Assert.Null(decision.Winner);
        Assert.Contains("held: the goods are ready at 12:45:00 UTC, beyond the 30-min planning horizon, and the nearest courier needs", decision.Explanation.Rule, StringComparison.Ordinal);
    }
}
