using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

/// <summary>
/// A chaos run offered a hot meal to a walking courier 2,040 m away, who picked it up about half an hour later: the nearest
/// ring held only the walker, and a batch round's age credit made sending them cheaper than waiting. A courier who would
/// reach the pickup too long after the goods are ready is not a candidate at all, so the search widens to faster couriers.
/// </summary>
public sealed class PickupReachTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(1);
    private static readonly LatLon Pickup = new(43.7396, 7.4276);
    private static readonly LatLon Dropoff = new(43.7310, 7.4200);
    private static readonly Guid OrderId = new("00000000-0000-0000-0000-000000000001");

    private static CourierSnapshot Courier(int n, Vehicle vehicle) =>
        new(new Guid($"00000000-0000-0000-0000-0000000000a{n}"), "z", 43.72, 7.42, Now, Equipment.InsulatedBox, vehicle, 1, 0, CourierActivity.Idle);

    private static DispatchRequest Request(OrderKind kind, DateTimeOffset? readyAt = null, DateTimeOffset? placedAt = null, bool withDropoff = true) =>
        new(OrderId, kind, kind == OrderKind.Frozen, Pickup, new HashSet<Guid>(), Dropoff: withDropoff ? Dropoff : null, ReadyAt: readyAt,
            PromisedAt: Now.AddHours(2), PlacedAt: placedAt);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_walker_half_an_hour_from_a_hot_meal_is_not_a_candidate(bool withDropoff)
    {
        // 2,040 m × 1.3 detour ÷ 1.3 m/s = 2,040 s: 34 min to the pickup of a meal ready now.
        var walker = Courier(1, Vehicle.Walking);
        var ranking = CandidateRanker.Rank(Request(OrderKind.HotFood, Now, withDropoff: withDropoff), [new Candidate(walker, 2_040)], Now, Stale);

        Assert.Empty(ranking.Eligible);
        var excluded = Assert.Single(ranking.Excluded);
        Assert.Equal(walker.CourierId, excluded.CourierId);
        Assert.Contains("34 min to the pickup", excluded.Reason, StringComparison.Ordinal);
        Assert.Contains("at most 20 min for hot food", excluded.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_walker_takes_an_errand_close_enough_and_a_meal_ready_later()
    {
        var walker = Courier(1, Vehicle.Walking);

        // 1,100 m: 18 min, within the 20 min of a hot meal ready now.
        Assert.Single(CandidateRanker.Rank(Request(OrderKind.HotFood, Now), [new Candidate(walker, 1_100)], Now, Stale).Eligible);
        // 2,040 m for a meal placed 15 min ago: it has waited long enough that the walker may come.
        Assert.Single(CandidateRanker.Rank(Request(OrderKind.HotFood, Now, Now.AddMinutes(-15)), [new Candidate(walker, 2_040)], Now, Stale).Eligible);
        // 2,040 m: 34 min, at the pickup 4 min after a meal ready in 30 min.
        Assert.Single(CandidateRanker.Rank(Request(OrderKind.HotFood, Now.AddMinutes(30)), [new Candidate(walker, 2_040)], Now, Stale).Eligible);
        // An errand may wait 30 min for its courier: 1,500 m (25 min) is within, 2,040 m (34 min) is not.
        Assert.Single(CandidateRanker.Rank(Request(OrderKind.Errand), [new Candidate(walker, 1_500)], Now, Stale).Eligible);
        var far = Assert.Single(CandidateRanker.Rank(Request(OrderKind.Errand), [new Candidate(walker, 2_040)], Now, Stale).Excluded);
        Assert.Contains("34 min to the pickup (at most 30 min)", far.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_round_waits_for_a_faster_courier_instead_of_sending_the_walker_for_its_age()
    {
        // Placed 5 min ago: its age credit (300 s) makes the walker's 2,040 s cheaper than the wait (30 min, 1,800 s).
        var walker = Courier(1, Vehicle.Walking);
        var order = new BatchOrder(Request(OrderKind.HotFood, Now.AddMinutes(-1), Now.AddMinutes(-5)), [new Candidate(walker, 2_040)], 3_000);

        var decision = Assert.Single(BatchMatcher.Match([order], Now, Stale));

        Assert.Null(decision.Winner);
        Assert.Contains("no eligible courier within 3000 m", decision.Explanation.Rule, StringComparison.Ordinal);

        // A scooter 3.5 km away (the next ring) reaches it in 10 min and is sent.
        var scooter = Courier(2, Vehicle.Scooter);
        var wider = new BatchOrder(order.Request, [new Candidate(walker, 2_040), new Candidate(scooter, 3_500)], 6_000);
        Assert.Equal(scooter.CourierId, Assert.Single(BatchMatcher.Match([wider], Now, Stale)).Winner?.CourierId);
    }
}
