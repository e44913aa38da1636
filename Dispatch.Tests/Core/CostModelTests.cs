using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

/// <summary>The cost terms and the trip-based feasibility rules of <see cref="CandidateRanker"/>.</summary>
public sealed class CostModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(1);

    private static LatLon At(double kmNorth, double kmEast = 0) => new(43.70 + (kmNorth / 111.32), 7.40 + (kmEast / 80.5));

    private static Guid Id(int n) => new(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static CourierSnapshot Courier(int n, LatLon at, int activeOrders = 0, DateTimeOffset? shiftEndsAt = null, Vehicle vehicle = Vehicle.Scooter) =>
        new(Id(n), "z", at.Lat, at.Lon, Now, Equipment.InsulatedBox, vehicle, 4, activeOrders, CourierActivity.Idle, shiftEndsAt, Now.AddHours(-2));

    private static DispatchRequest Request(LatLon pickup, LatLon dropoff, OrderKind kind = OrderKind.Errand, int promisedInMinutes = 60, DateTimeOffset? readyAt = null) =>
        new(Id(1000), kind, kind == OrderKind.Frozen, pickup, new HashSet<Guid>(), null, dropoff, readyAt, Now.AddMinutes(promisedInMinutes));

    private static Candidate Near(CourierSnapshot courier, LatLon pickup, IReadOnlyList<CarriedOrder>? carrying = null, double? earned = null) =>
        new(courier, GeoMath.DistanceMetres(courier.Position, pickup), carrying, earned);

    private static CarriedOrder Held(int n, LatLon pickup, LatLon dropoff, OrderKind kind = OrderKind.Errand, DateTimeOffset? pickedUpAt = null, int promisedInMinutes = 60) =>
        new(Id(n), kind, pickup, dropoff, Now.AddMinutes(promisedInMinutes), pickedUpAt);

    private static Ranking Rank(DispatchRequest request, params Candidate[] candidates) => CandidateRanker.Rank(request, candidates, Now, Stale);

    [Theory]
    [InlineData(OrderKind.Frozen, OrderKind.HotFood, "carries hot food; frozen goods never ride with hot food")]
    [InlineData(OrderKind.HotFood, OrderKind.Frozen, "carries frozen goods; hot food never rides with frozen goods")]
    public void Frozen_goods_and_hot_food_never_share_a_trip(OrderKind ordered, OrderKind onBoard, string reason)
    {
        var courier = Courier(1, At(0), activeOrders: 1);
        var ranking = Rank(Request(At(0.5), At(1), ordered), Near(courier, At(0.5), [Held(1, At(0.5), At(1.2), onBoard)]));

        Assert.Empty(ranking.Eligible);
        Assert.Equal(reason, Assert.Single(ranking.Excluded).Reason);
    }

    [Fact]
    public void Hot_food_may_ride_with_an_errand()
    {
        var courier = Courier(1, At(0), activeOrders: 1);
        Assert.Single(Rank(Request(At(0.5), At(1), OrderKind.HotFood), Near(courier, At(0.5), [Held(1, At(0.5), At(1.2))])).Eligible);
    }

    [Fact]
    public void A_bundle_that_would_break_a_cold_chain_budget_is_refused()
    {
        // Frozen goods picked up 24 minutes ago, 1 km from their door. A detour of 5 km out and back first would keep them
        // on board well past 30 minutes; the same order on the way is fine.
        var courier = Courier(1, At(0), activeOrders: 1);
        var frozen = Held(1, At(-3), At(1), OrderKind.Frozen, pickedUpAt: Now.AddMinutes(-24));

        var detour = Rank(Request(At(-5), At(-6)), Near(courier, At(-5), [frozen]));
        Assert.Empty(detour.Eligible);
        Assert.Matches(@"^frozen goods would be \d+ min on board, over the 30-min cold-chain budget$", Assert.Single(detour.Excluded).Reason);

        var onTheWay = Rank(Request(At(0.2), At(0.8)), Near(courier, At(0.2), [frozen]));
        Assert.Single(onTheWay.Eligible);
    }

    [Fact]
    public void A_frozen_order_whose_own_trip_is_long_is_not_blamed_on_the_courier()
    {
        // 12 km on a bicycle takes longer than the budget whoever carries it: the order stays dispatchable.
        var courier = Courier(1, At(0), vehicle: Vehicle.Bicycle);
        var ranking = Rank(Request(At(0), At(12), OrderKind.Frozen), Near(courier, At(0), []));
        Assert.Single(ranking.Eligible);
    }

    [Fact]
    public void A_courier_whose_shift_ends_before_the_hand_over_is_not_offered_the_order()
    {
        var leaving = Courier(1, At(0), shiftEndsAt: Now.AddMinutes(5));
        var staying = Courier(2, At(0), shiftEndsAt: Now.AddHours(3));
        var ranking = Rank(Request(At(1), At(4)), Near(leaving, At(1), []), Near(staying, At(1), []));

        Assert.Equal([Id(2)], ranking.Eligible.Select(c => c.CourierId));
        Assert.Matches(@"^shift ends at 12:05 UTC; this drop-off would be at 12:\d\d$", Assert.Single(ranking.Excluded).Reason);
        Assert.Equal("shift ended at 11:59 UTC", CandidateRanker.Exclude(Request(At(1), At(4)), Courier(3, At(0), shiftEndsAt: Now.AddMinutes(-1)), Now, Stale));
    }

    [Fact]
    public void Lateness_costs_twice_the_seconds_past_the_promise()
    {
        var courier = Courier(1, At(0));
        var onTime = Assert.Single(Rank(Request(At(1), At(2), promisedInMinutes: 60), Near(courier, At(1), [])).Eligible);
        Assert.Equal(0, onTime.LatenessSeconds);

        var late = Assert.Single(Rank(Request(At(1), At(2), promisedInMinutes: 1), Near(courier, At(1), [])).Eligible);
        var secondsLate = (late.DropoffAt!.Value - Now.AddMinutes(1)).TotalSeconds;
        Assert.True(secondsLate > 60, $"expected the drop-off well after the promise, got {secondsLate} s");
        Assert.Equal(Math.Round(secondsLate * 2, 1), late.LatenessSeconds, 0.2);
        Assert.Equal(late.SecondsToPickup + late.LatenessSeconds, late.Cost, 0.01);
    }

    [Fact]
    public void Waiting_for_goods_not_ready_costs_half_the_wait_and_late_commitment_holds_the_order()
    {
        var courier = Courier(1, At(0));
        var request = Request(At(1), At(2), readyAt: Now.AddMinutes(20));
        var ranked = Assert.Single(Rank(request, Near(courier, At(1), [])).Eligible);

        var wait = TimeSpan.FromMinutes(20).TotalSeconds - ranked.SecondsToPickup;
        Assert.Equal(Math.Round(wait * 0.5, 1), ranked.ReadyWaitSeconds, 0.2);
        Assert.Equal(Now.AddMinutes(20).AddSeconds(30), ranked.PickupAt); // ready at 20 min, parked and walked in meanwhile: half a minute after

        // Ready in 20 minutes, 3.5 minutes away: offered 4 minutes before the courier must leave.
        var hold = CandidateRanker.HoldUntil(request, ranked, Now);
        Assert.Equal(Now.AddMinutes(20).AddSeconds(-ranked.SecondsToPickup).AddMinutes(-4), hold);
        Assert.Null(CandidateRanker.HoldUntil(request with { ReadyAt = Now.AddMinutes(5) }, ranked, Now));
        Assert.Null(CandidateRanker.HoldUntil(request with { ReadyAt = null }, ranked, Now));
    }

    [Fact]
    public void Adding_an_order_costs_the_delay_it_causes_to_the_orders_on_board()
    {
        // Both couriers head for the same restaurant with one order each. The new order from that restaurant goes
        // next door to the first courier's customer (a bundle: little delay) but the opposite way from the second's.
        var restaurant = At(1);
        var sameWay = Courier(1, At(0), activeOrders: 1);
        var otherWay = Courier(2, At(0), activeOrders: 1);
        var ranking = Rank(Request(restaurant, At(3)),
            Near(sameWay, restaurant, [Held(1, restaurant, At(3.1))]),
            Near(otherWay, restaurant, [Held(2, restaurant, At(-1))]));

        var bundle = ranking.Eligible.Single(c => c.CourierId == Id(1));
        var opposite = ranking.Eligible.Single(c => c.CourierId == Id(2));
        Assert.Equal(Id(1), ranking.Eligible[0].CourierId);
        Assert.True(bundle.LoadPenaltySeconds < 120, $"a same-restaurant, same-direction bundle should delay little; got {bundle.LoadPenaltySeconds} s");
        Assert.True(opposite.LoadPenaltySeconds > 400, $"going the other way first should delay a lot; got {opposite.LoadPenaltySeconds} s");
    }

    [Fact]
    public void A_bundle_is_limited_in_stops_and_stops_at_one_place_count_once()
    {
        // Three orders from one restaurant on board, not picked up yet: one pickup stop and three drop-offs.
        var restaurant = At(1);
        var courier = Courier(1, At(0), activeOrders: 3);
        Candidate Loaded() => Near(courier, restaurant, [Held(1, restaurant, At(3)), Held(2, restaurant, At(3.1)), Held(3, restaurant, At(3.2))]);
        var fourth = Request(restaurant, At(3.3));

        Assert.Single(Rank(fourth, Loaded()).Eligible); // 1 + 4 = 5 stops, within the default 6

        var strict = new DispatchPolicy { MaxTripStops = 4 };
        var refused = CandidateRanker.Rank(fourth, [Loaded()], Now, Stale, policy: strict);
        Assert.Empty(refused.Eligible);
        Assert.Equal("the trip would have 5 stops to make (at most 4 with a bundle)", Assert.Single(refused.Excluded).Reason);

        // An order alone is never refused for its own stops, however many an errand has.
        var errand = Request(At(1), At(4)) with { Via = [At(2), At(2.5), At(3)] };
        Assert.Single(CandidateRanker.Rank(errand, [Near(Courier(2, At(0)), At(1), [])], Now, Stale, policy: new DispatchPolicy { MaxTripStops = 2 }).Eligible);
    }

    [Fact]
    public void An_order_that_would_delay_those_on_board_too_much_is_refused()
    {
        var courier = Courier(1, At(0), activeOrders: 1);
        var ranking = Rank(Request(At(-8), At(-9)), Near(courier, At(-8), [Held(1, At(0), At(1), pickedUpAt: Now.AddMinutes(-1))]));

        Assert.Empty(ranking.Eligible);
        Assert.Matches(@"^would delay the 1 order\(s\) on board by [\d.]+ min in total \(at most 12\)$", Assert.Single(ranking.Excluded).Reason);
    }

    [Fact]
    public void Unknown_orders_on_board_cost_the_flat_penalty()
    {
        var courier = Courier(1, At(0), activeOrders: 2);
        var ranked = Assert.Single(Rank(Request(At(1), At(2)), Near(courier, At(1))).Eligible);
        Assert.Equal(2 * CandidateRanker.LoadPenaltySecondsPerOrder, ranked.LoadPenaltySeconds);
    }

    [Fact]
    public void Fairness_favours_the_courier_who_earned_less_per_hour_within_limits()
    {
        var rich = Courier(1, At(0));
        var poor = Courier(2, At(0));
        var ranking = Rank(Request(At(1), At(2)), Near(rich, At(1), [], earned: 2_500), Near(poor, At(1), [], earned: 1_500));

        Assert.Equal([Id(2), Id(1)], ranking.Eligible.Select(c => c.CourierId));
        Assert.Equal(100, ranking.Eligible[1].FairnessSeconds, 0.01); // €5/h above the mean × 20 s
        Assert.Equal(-ranking.Eligible[0].FairnessSeconds, ranking.Eligible[1].FairnessSeconds, 0.01);

        var extreme = Rank(Request(At(1), At(2)), Near(rich, At(1), [], earned: 100_000), Near(poor, At(1), [], earned: 0));
        Assert.Equal(120, extreme.Eligible.Max(c => c.FairnessSeconds));
        Assert.Equal(-120, extreme.Eligible.Min(c => c.FairnessSeconds));
    }

    [Fact]
    public void A_batch_round_holds_an_order_whose_goods_are_not_ready_soon()
    {
        var courier = Courier(1, At(0));
        var later = new BatchOrder(Request(At(1), At(2), readyAt: Now.AddMinutes(20)), [Near(courier, At(1), [])], 1_500);
        var decision = Assert.Single(BatchMatcher.Match([later], Now, Stale));

        Assert.Null(decision.Winner);
        // Within the planning horizon: planned with its courier, who is not sent yet.
        Assert.Contains($"held with its courier {courier.CourierId:N}", decision.Explanation.Rule, StringComparison.Ordinal);
        Assert.Contains("before the goods are ready at 12:20:00 UTC", decision.Explanation.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(3, false)]
    [InlineData(25, false)]
    [InlineData(3, true)]
    public void A_courier_with_nothing_on_board_gets_the_times_the_trip_planner_gives(int readyInMinutes, bool withStops)
    {
        var courier = Courier(1, At(0));
        var request = Request(At(1.3, 0.4), At(2.5, -0.7), readyAt: Now.AddMinutes(readyInMinutes)) with { Via = withStops ? [At(2, 1), At(3, 0)] : null };
        var ranked = Assert.Single(Rank(request, Near(courier, request.Pickup, [])).Eligible);

        var speed = VehicleSpeeds.TypicalMetresPerSecond(Vehicle.Scooter);
        var plan = TripPlanner.Plan(courier.Position, Now, [request.AsCarried(request.Dropoff!.Value, Now)],
            (a, b) => GeoMath.DistanceMetres(a, b) * DispatchPolicy.Default.DetourFactor / speed, DispatchPolicy.Default.StopServiceSeconds);
        // Equal to the tick but for rounding: the planner adds leg by leg, the ranker sums the seconds first.
        Assert.Equal(0, (plan.PickupAt[request.OrderId] - ranked.PickupAt!.Value).TotalMilliseconds, 0.01);
        Assert.Equal(0, (plan.DropoffAt[request.OrderId] - ranked.DropoffAt!.Value).TotalMilliseconds, 0.01);
    }

    [Fact]
    public void A_reused_plan_without_the_order_answers_as_a_fresh_one_after_a_move_or_a_later_moment()
    {
        // CandidateRanker plans a carrying courier's trip without the ranked order once, keeps it on the courier's
        // CarriedOrders, and reuses it for the next orders they are a candidate for. Each ranking is compared with one
        // from a plain array of the same orders, which is planned afresh every time. On board: an order to pick up 1 km
        // north and hand over 3 km north, due in 25 minutes.
        CarriedOrder[] onBoard = [Held(100, At(1), At(3), promisedInMinutes: 25)];
        var carrying = new CarriedOrders(onBoard);
        var first = Request(At(1.2), At(2.5));
        var second = Request(At(0.8, 0.5), At(2.8));
        Ranking RankAt(CourierSnapshot courier, IReadOnlyList<CarriedOrder> orders, DateTimeOffset now) =>
            CandidateRanker.Rank(second, [Near(courier, second.Pickup, orders)], now, Stale);

        // Two orders ranked for the courier at the start: the second reuses the plan made for the first.
        var atStart = Courier(1, At(0), activeOrders: 1);
        Rank(first, Near(atStart, first.Pickup, carrying));
        Assert.Equal(RankAt(atStart, onBoard, Now).Eligible, RankAt(atStart, carrying, Now).Eligible);

        // The courier rode 2 km east: the same list must not bring back the plan from the old position.
        var moved = Courier(1, At(0, 2), activeOrders: 1);
        var fresh = RankAt(moved, onBoard, Now).Eligible.Single();
        Assert.Equal(fresh, RankAt(moved, carrying, Now).Eligible.Single());
        Assert.NotEqual(RankAt(atStart, onBoard, Now).Eligible.Single().LoadPenaltySeconds, fresh.LoadPenaltySeconds);

        // Ten minutes later, same place: the order on board is nearer its promise, so its delay costs differently.
        var later = Now.AddMinutes(10);
        var movedLater = moved with { At = later };
        var laterFresh = RankAt(movedLater, onBoard, later).Eligible.Single();
        Assert.Equal(laterFresh, RankAt(movedLater, carrying, later).Eligible.Single());
        Assert.NotEqual(fresh.LatenessSeconds + fresh.LoadPenaltySeconds, laterFresh.LatenessSeconds + laterFresh.LoadPenaltySeconds);

        // Back at the first moment and place: the plan kept is the later one's, which must not answer for it.
        Assert.Equal(fresh, RankAt(moved, carrying, Now).Eligible.Single());

        // A second order taken: the server hands a new list, planned afresh with both.
        CarriedOrder[] both = [.. onBoard, Held(101, At(0.5, 2), At(0.5, 4), promisedInMinutes: 20)];
        var withBoth = new CarriedOrders(both);
        Assert.Equal(RankAt(moved, both, Now).Eligible, RankAt(moved, withBoth, Now).Eligible);
        Assert.NotEqual(fresh, RankAt(moved, withBoth, Now).Eligible.Single());
    }

    [Fact]
    public void A_ranking_after_a_larger_trip_on_the_same_thread_answers_as_before()
    {
        // The ranker plans each carrying candidate's trip in one workspace per thread, overwritten by the next plan. A trip
        // of five orders (stops, times, drop-off groups) planned between two rankings of a two-order trip must leave
        // nothing behind: the same terms, times and exclusions, compared in full.
        var request = Request(At(1), At(2.5), promisedInMinutes: 30);
        var small = Near(Courier(1, At(0), activeOrders: 2), request.Pickup,
            [Held(100, At(1), At(3), promisedInMinutes: 25), Held(101, At(0.5, 1), At(2, 1), OrderKind.Frozen, pickedUpAt: Now.AddMinutes(-10))]);
        var before = Rank(request, small);

        var big = Request(At(-1), At(-4), promisedInMinutes: 50);
        var bigTrip = Rank(big, Near(Courier(2, At(-2), activeOrders: 5), big.Pickup,
            [.. Enumerable.Range(0, 5).Select(i => Held(200 + i, At(-1 - i, i), At(-3 - i, -i), promisedInMinutes: 20 + (10 * i)))]));
        Assert.NotEmpty(bigTrip.Eligible.Select(c => c.CourierId).Concat(bigTrip.Excluded.Select(x => x.CourierId)));

        var after = Rank(request, small);
        Assert.Equal(before.Eligible, after.Eligible);
        Assert.Equal(before.Excluded, after.Excluded);
        Assert.Equal(Id(1), Assert.Single(before.Eligible).CourierId);
    }
}
