using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class CandidateRankerTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);
    private static readonly LatLon Pickup = new(43.7396, 7.4276);

    private static Guid Id(int n) => new(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static DispatchRequest Request(OrderKind kind = OrderKind.Errand, params Guid[] alreadyOffered) =>
        new(Id(1000), kind, RequiresColdChain: kind == OrderKind.Frozen, Pickup, alreadyOffered.ToHashSet());

    private static CourierSnapshot Courier(
        int n,
        Vehicle vehicle = Vehicle.Scooter,
        Equipment equipment = Equipment.None,
        int capacity = 2,
        int activeOrders = 0,
        CourierActivity activity = CourierActivity.Idle,
        int ageSeconds = 5) =>
        new(Id(n), "monaco", 43.74, 7.42, Now.AddSeconds(-ageSeconds), equipment, vehicle, capacity, activeOrders, activity);

    private static Ranking Rank(DispatchRequest request, params Candidate[] candidates) =>
        CandidateRanker.Rank(request, candidates, Now, StaleAfter);

    [Fact]
    public void Offline_courier_is_excluded()
    {
        var ranking = Rank(Request(), new Candidate(Courier(1, activity: CourierActivity.Offline), 100));

        Assert.Empty(ranking.Eligible);
        var exclusion = Assert.Single(ranking.Excluded);
        Assert.Equal(Id(1), exclusion.CourierId);
        Assert.Equal("offline", exclusion.Reason);
    }

    [Theory]
    [InlineData(CourierActivity.Idle)]
    [InlineData(CourierActivity.ToPickup)]
    [InlineData(CourierActivity.Carrying)]
    public void Online_courier_with_room_is_eligible(CourierActivity activity)
    {
        var ranking = Rank(Request(), new Candidate(Courier(1, activity: activity, activeOrders: 1, capacity: 2), 100));

        Assert.Empty(ranking.Excluded);
        Assert.Equal(Id(1), Assert.Single(ranking.Eligible).CourierId);
    }

    [Fact]
    public void Courier_already_offered_this_order_is_excluded()
    {
        var ranking = Rank(Request(OrderKind.Errand, Id(1)), new Candidate(Courier(1), 100), new Candidate(Courier(2), 900));

        Assert.Equal(Id(2), Assert.Single(ranking.Eligible).CourierId);
        var exclusion = Assert.Single(ranking.Excluded);
        Assert.Equal(Id(1), exclusion.CourierId);
        Assert.Contains("already offered", exclusion.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Stale_position_is_excluded_with_its_age()
    {
        var ranking = Rank(Request(), new Candidate(Courier(1, ageSeconds: 120), 100));

        var exclusion = Assert.Single(ranking.Excluded);
        Assert.Contains("stale", exclusion.Reason, StringComparison.Ordinal);
        Assert.Contains("120 s", exclusion.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(60, true)]  // exactly staleAfter old is still fresh
    [InlineData(61, false)]
    [InlineData(0, true)]
    public void Staleness_boundary(int ageSeconds, bool eligible)
    {
        var reason = CandidateRanker.Exclude(Request(), Courier(1, ageSeconds: ageSeconds), Now, StaleAfter);

        Assert.Equal(eligible, reason is null);
    }

    [Fact]
    public void Frozen_order_excludes_courier_without_cold_chain_equipment()
    {
        var ranking = Rank(Request(OrderKind.Frozen), new Candidate(Courier(1, equipment: Equipment.None), 100));

        Assert.Empty(ranking.Eligible);
        Assert.Contains("insulated box", Assert.Single(ranking.Excluded).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Equipment.InsulatedBox)]
    [InlineData(Equipment.ActiveCooler)]
    public void Frozen_order_accepts_courier_with_cold_chain_equipment(Equipment equipment)
    {
        var ranking = Rank(Request(OrderKind.Frozen), new Candidate(Courier(1, equipment: equipment), 100));

        Assert.Empty(ranking.Excluded);
        Assert.Equal(Id(1), Assert.Single(ranking.Eligible).CourierId);
    }

    [Fact]
    public void Errand_does_not_need_equipment()
    {
        Assert.Null(CandidateRanker.Exclude(Request(OrderKind.Errand), Courier(1, equipment: Equipment.None), Now, StaleAfter));
    }

    [Theory]
    [InlineData(2, 2, "at capacity (2/2)")]
    [InlineData(1, 3, "at capacity (3/1)")]
    [InlineData(0, 0, "at capacity (0/0)")]
    public void Courier_at_or_over_capacity_is_excluded(int capacity, int activeOrders, string reason)
    {
        var ranking = Rank(Request(), new Candidate(Courier(1, capacity: capacity, activeOrders: activeOrders), 100));

        Assert.Empty(ranking.Eligible);
        Assert.Equal(reason, Assert.Single(ranking.Excluded).Reason);
    }

    [Fact]
    public void Offline_is_reported_before_other_reasons()
    {
        var courier = Courier(1, activity: CourierActivity.Offline, ageSeconds: 3_600, capacity: 0);

        Assert.Equal("offline", CandidateRanker.Exclude(Request(OrderKind.Frozen, Id(1)), courier, Now, StaleAfter));
    }

    [Fact]
    public void Ranks_by_seconds_to_pickup_not_by_distance()
    {
        // Bicycle 500 m: 500 × 1.3 / 4.5 ≈ 144 s. Car 1000 m: 1000 × 1.3 / 8.5 ≈ 153 s. Walker 400 m: 400 s.
        var ranking = Rank(
            Request(),
            new Candidate(Courier(1, Vehicle.Car), 1_000),
            new Candidate(Courier(2, Vehicle.Walking), 400),
            new Candidate(Courier(3, Vehicle.Bicycle), 500));

        Assert.Equal([Id(3), Id(1), Id(2)], ranking.Eligible.Select(c => c.CourierId));
        var bicycle = ranking.Eligible[0];
        Assert.Equal(500, bicycle.DistanceMetres);
        Assert.Equal(500 * 1.3 / 4.5, bicycle.SecondsToPickup, 6);
        Assert.Equal(0, bicycle.LoadPenaltySeconds);
    }

    [Fact]
    public void Faster_vehicle_further_away_beats_a_slow_one_nearby()
    {
        // Walker 500 m: 500 s. Car 2 km: 2000 × 1.3 / 8.5 ≈ 306 s.
        var ranking = Rank(Request(), new Candidate(Courier(1, Vehicle.Walking), 500), new Candidate(Courier(2, Vehicle.Car), 2_000));

        Assert.Equal([Id(2), Id(1)], ranking.Eligible.Select(c => c.CourierId));
    }

    [Fact]
    public void Orders_on_board_add_a_load_penalty()
    {
        // Busy scooter 300 m: 52 s + 240 s. Free scooter 1500 m: 260 s.
        var ranking = Rank(
            Request(),
            new Candidate(Courier(1, activeOrders: 1, capacity: 3), 300),
            new Candidate(Courier(2, activeOrders: 0, capacity: 3), 1_500));

        Assert.Equal([Id(2), Id(1)], ranking.Eligible.Select(c => c.CourierId));
        var busy = ranking.Eligible[1];
        Assert.Equal(CandidateRanker.LoadPenaltySecondsPerOrder, busy.LoadPenaltySeconds);
        Assert.Equal(52, busy.SecondsToPickup, 6);
        Assert.Equal(292, busy.Cost, 6);
    }

    [Fact]
    public void Load_penalty_grows_per_order()
    {
        var ranking = Rank(Request(), new Candidate(Courier(1, activeOrders: 2, capacity: 5), 0));

        Assert.Equal(480, Assert.Single(ranking.Eligible).LoadPenaltySeconds);
    }

    [Fact]
    public void Equal_cost_is_broken_by_courier_id_whatever_the_input_order()
    {
        Candidate[] candidates =
        [
            new(Courier(3), 700),
            new(Courier(1), 700),
            new(Courier(2), 700),
        ];

        var forward = CandidateRanker.Rank(Request(), candidates, Now, StaleAfter);
        var backward = CandidateRanker.Rank(Request(), candidates.Reverse(), Now, StaleAfter);

        Assert.Equal([Id(1), Id(2), Id(3)], forward.Eligible.Select(c => c.CourierId));
        Assert.Equal([Id(1), Id(2), Id(3)], backward.Eligible.Select(c => c.CourierId));
    }

    [Fact]
    public void Mixed_field_splits_into_eligible_and_excluded()
    {
        var ranking = Rank(
            Request(OrderKind.Frozen, Id(2)),
            new Candidate(Courier(1, activity: CourierActivity.Offline), 100),
            new Candidate(Courier(2, equipment: Equipment.ActiveCooler), 100),
            new Candidate(Courier(3, equipment: Equipment.None), 100),
            new Candidate(Courier(4, equipment: Equipment.InsulatedBox), 800),
            new Candidate(Courier(5, equipment: Equipment.ActiveCooler), 400));

        Assert.Equal([Id(5), Id(4)], ranking.Eligible.Select(c => c.CourierId));
        Assert.Equal([Id(1), Id(2), Id(3)], ranking.Excluded.Select(e => e.CourierId));
    }

    [Fact]
    public void No_candidates_gives_an_empty_ranking()
    {
        var ranking = Rank(Request());

        Assert.Empty(ranking.Eligible);
        Assert.Empty(ranking.Excluded);
    }

    [Fact]
    public void A_courier_who_declined_is_not_asked_again_before_the_cool_down_and_then_at_a_penalty()
    {
        var justNow = new Dictionary<Guid, DateTimeOffset> { [Id(1)] = Now.AddSeconds(-40) };
        var request = Request(OrderKind.Errand, Id(1)) with { DeclinedAt = justNow };
        var excluded = Assert.Single(Rank(request, new Candidate(Courier(1), 100)).Excluded);
        Assert.Equal("declined this order 40 s ago (asked again after 180 s)", excluded.Reason);

        var longAgo = new Dictionary<Guid, DateTimeOffset> { [Id(1)] = Now - CandidateRanker.DeclineCoolDown - TimeSpan.FromSeconds(1) };
        var ranking = Rank(Request(OrderKind.Errand, Id(1)) with { DeclinedAt = longAgo }, new Candidate(Courier(1), 100), new Candidate(Courier(2), 400));
        Assert.Equal([Id(2), Id(1)], ranking.Eligible.Select(c => c.CourierId));       // 300 m further, but did not say no
        Assert.Equal(CandidateRanker.DeclinePenaltySeconds, ranking.Eligible[1].DeclinePenaltySeconds);
        Assert.Equal(0, ranking.Eligible[0].DeclinePenaltySeconds);
    }

    [Fact]
    public void A_courier_offered_the_order_who_did_not_decline_stays_excluded()
    {
        var declined = new Dictionary<Guid, DateTimeOffset> { [Id(2)] = Now.AddHours(-1) };
        var ranking = Rank(Request(OrderKind.Errand, Id(1), Id(2)) with { DeclinedAt = declined }, new Candidate(Courier(1), 100));
        Assert.Equal("already offered this order", Assert.Single(ranking.Excluded).Reason); // a pending or withdrawn offer
    }
}
