using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

/// <summary>
/// What is stored of a decision and shown on the board: the offered courier's terms in full, the next five with the
/// term that lost them the order, counts of the rest, and the rule's sentences (waiting for a courier, bundles) in words.
/// </summary>
public sealed class CompactExplanationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly LatLon Restaurant = new(43.7300, 7.4200);
    private static readonly string Terms = DispatchExplanation.CostTerms();

    private static Guid Id(int n) => new(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    [Fact]
    public void The_offered_courier_keeps_every_term_and_the_next_five_say_what_lost_them_the_order()
    {
        // Courier 1 is the cheapest for this order but went to another one (the round's total); 2 is offered it; 3 is
        // farther; 4 declined it before; 5 carries orders that would arrive later; 6 would arrive late; 7–9 are not kept.
        RankedCandidate[] eligible =
        [
            new(Id(1), 200.4, 60.2, 0),
            new(Id(2), 350.6, 90.4, 10.3, ReadyWaitSeconds: 5.2, FairnessSeconds: -3.6, PickupAt: Now.AddSeconds(90.4), DropoffAt: Now.AddSeconds(600.7)),
            new(Id(3), 900, 240, 10.3),
            new(Id(4), 360, 92, 10, DeclinePenaltySeconds: 300),
            new(Id(5), 300, 85, 400),
            new(Id(6), 800, 200, 10, LatenessSeconds: 600),
            new(Id(7), 2_000, 500, 0),
            new(Id(8), 2_100, 510, 0),
            new(Id(9), 2_200, 520, 0),
        ];
        Exclusion[] excluded = [.. Enumerable.Range(20, 7).Select(n => new Exclusion(Id(n), $"at capacity ({n})"))];
        var rule = $"batch: one matching of 3 waiting order(s) to 9 eligible courier(s), minimum total cost ({Terms}), at most one trip per courier per round; " +
            $"its cheapest courier {Id(1):N} went to order {Id(50):N}, which lowers the total";

        var compact = CompactExplanation.From(new DispatchExplanation(rule, 1500, eligible, excluded, [Id(2)]), Terms);

        var offered = Assert.Single(compact.Offered);
        Assert.Equal(new RankedCandidate(Id(2), 351, 90, 10, ReadyWaitSeconds: 5, FairnessSeconds: -4, PickupAt: Now.AddSeconds(90), DropoffAt: Now.AddSeconds(600)), offered);
        Assert.Equal(
            [(Id(1), "matching", 42.0), (Id(3), "pickup", 150.0), (Id(4), "declined", 300.0), (Id(5), "load", 390.0), (Id(6), "lateness", 600.0)],
            compact.RunnersUp.Select(r => (r.CourierId, r.LostOn!, r.LostBySeconds)));
        Assert.Equal((200.0, 60.0, 60.0), (compact.RunnersUp[0].DistanceMetres, compact.RunnersUp[0].SecondsToPickup, compact.RunnersUp[0].Cost));
        Assert.Equal(3, compact.MoreEligible);
        Assert.Equal(excluded[..5], compact.Excluded);
        Assert.Equal(2, compact.MoreExcluded);
        Assert.Equal($"batch: one matching of 3 waiting order(s) to 9 eligible courier(s), minimum total cost, at most one trip per courier per round; " +
            $"its cheapest courier {Id(1):N} went to order {Id(50):N}, which lowers the total", compact.Rule);
    }

    [Fact]
    public void A_bundle_says_which_orders_ride_together()
    {
        var courier = Candidate(Courier(1, Near(500, 0)));
        var a = Order(10, Near(0, 1_500), TimeSpan.FromMinutes(5), "D-000123");
        var b = Order(11, Near(100, 1_600), TimeSpan.FromMinutes(4), "D-000124");
        var policy = DispatchPolicy.Default with { MaxBundle = 3 };
        var decisions = BatchMatcher.MatchRanked(
            [.. new[] { a, b }.Select(o => new RankedOrder(o, CandidateRanker.Rank(o, [courier], Now, TimeSpan.FromMinutes(1), null, policy, true), 5_000))],
            Now, policy);

        var compact = CompactExplanation.From(decisions[0].Explanation, DispatchExplanation.CostTerms(policy));

        Assert.EndsWith("; bundled with D-000124 from the same restaurant, one courier for all 2", compact.Rule, StringComparison.Ordinal);
        Assert.DoesNotContain("seconds to pickup", compact.Rule, StringComparison.Ordinal);
        Assert.Equal(Id(1), Assert.Single(compact.Offered).CourierId);
        Assert.Empty(compact.RunnersUp);
    }

    [Fact]
    public void Waiting_for_a_courier_who_frees_up_names_when_and_keeps_them_among_the_candidates()
    {
        var lastDropoff = Near(400, 0);
        var carried = new CarriedOrder(Id(90), OrderKind.HotFood, Near(700, 0), lastDropoff, Now.AddMinutes(20), Now.AddMinutes(-3));
        var busy = Candidate(Courier(1, Near(700, 0), capacity: 1, active: 1), [carried]);
        var far = Candidate(Courier(2, Near(-6_000, 0)));
        var order = Order(10, Near(0, 1_500), TimeSpan.Zero);
        var decision = BatchMatcher.MatchRanked(
            [new RankedOrder(order, CandidateRanker.Rank(order, [busy, far], Now, TimeSpan.FromMinutes(1), null, DispatchPolicy.Default, true), 5_000)],
            Now, DispatchPolicy.Default).Single();

        var compact = CompactExplanation.From(decision.Explanation, Terms);

        Assert.Empty(compact.Offered);
        var waitedFor = Assert.Single(compact.RunnersUp, r => r.CourierId == Id(1));
        var freeAt = Assert.NotNull(waitedFor.FreeAt);
        Assert.Equal(0, freeAt.Ticks % TimeSpan.TicksPerSecond);
        Assert.Contains($"waiting for a courier who frees up at {freeAt:HH:mm} UTC 400 m from the pickup", compact.Rule, StringComparison.Ordinal);
        // Nobody was offered it: nothing to have lost against.
        Assert.All(compact.RunnersUp, r => Assert.Null(r.LostOn));
    }

    private static LatLon Near(double northMetres, double eastMetres) =>
        new(Restaurant.Lat + (northMetres / 111_195), Restaurant.Lon + (eastMetres / (111_195 * Math.Cos(Restaurant.Lat * Math.PI / 180))));

    private static CourierSnapshot Courier(int n, LatLon at, int capacity = 3, int active = 0) =>
        new(Id(n), "z", at.Lat, at.Lon, Now, Equipment.InsulatedBox, Vehicle.Scooter, capacity, active, active > 0 ? CourierActivity.Carrying : CourierActivity.Idle);

    private static DispatchRequest Order(int n, LatLon dropoff, TimeSpan age, string? reference = null) =>
        new(Id(n), OrderKind.HotFood, false, Restaurant, new HashSet<Guid>(), null, dropoff, Now, Now.AddHours(1), PlacedAt: Now - age, Reference: reference);

    private static Candidate Candidate(CourierSnapshot courier, IReadOnlyList<CarriedOrder>? carrying = null) =>
        new(courier, GeoMath.DistanceMetres(courier.Position, Restaurant), carrying ?? []);
}
