using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Routing;
using Dispatch.Core.Tracking;

namespace Dispatch.Tests.Core;

/// <summary>
/// The customer's view and a tracking step's decisions, as the hub and the flush pushes both take them from Core. The
/// way: a courier west of the pickup, the drop-off east of it, all on one street (latitude 43.73), 5 m/s.
/// </summary>
public sealed class TrackingStepTests
{
    private const double Speed = 5;
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly LatLon Start = new(43.7300, 7.4100);
    private static readonly LatLon Pickup = new(43.7300, 7.4200);
    private static readonly LatLon Dropoff = new(43.7300, 7.4300);
    private static readonly RouteTrack Route = new(1, [Start, Pickup, Dropoff], Speed);
    private static readonly TrackingStepSettings Settings = new(Speed, RerouteAfterMetres: 80, LeftPickupMetres: 100, ArrivingMetres: 300,
        ArrivingSeconds: 120, new TrackingPushLimits(TimeSpan.FromSeconds(1), 60, TimeSpan.FromSeconds(15)));

    /// <summary>A point <paramref name="east"/> metres east of the pickup (negative: west) and <paramref name="north"/> metres north.</summary>
    private static LatLon At(double east, double north = 0) =>
        new(Pickup.Lat + north / 111_320.0, Pickup.Lon + east / (111_320.0 * Math.Cos(Pickup.Lat * Math.PI / 180)));

    private static OrderWay Way(OrderStatus status, bool route, double progress = 0, IReadOnlyList<LatLon>? via = null) =>
        new(status, Pickup, Dropoff, via, route ? Route : null, progress);

    private static TrackingStepDecision Step(OrderWay way, LatLon at, bool moved = true, Milestone asked = Milestone.None, LastPush? last = null, int pad = 0) =>
        TrackingStep.Decide(way, asked, last, at, moved, T0, pad, Settings);

    [Theory]
    [InlineData(OrderStatus.Accepted, false)]
    [InlineData(OrderStatus.PickedUp, false)]
    [InlineData(OrderStatus.Accepted, true)]
    [InlineData(OrderStatus.InTransit, true)]
    public void The_eta_follows_the_route_when_there_is_one_else_the_straight_line_via_the_pickup(OrderStatus status, bool route)
    {
        var at = At(-400);
        var progress = CourierProgress.Of(Way(status, route), at, Speed);
        var expected = route
            ? Route.SecondsLeft(Route.Locate(at, 0))
            : Eta.ToDropoffSeconds(status, at, Pickup, Dropoff, Speed);
        Assert.Equal(expected, progress.EtaSeconds);
        Assert.Equal(route, progress.AlongMetres is not null);
        Assert.Equal(route, progress.OffRouteMetres is not null);
    }

    [Fact]
    public void Without_a_route_the_straight_line_passes_the_errands_stops_still_to_do()
    {
        var stop = At(400, 400);
        var direct = CourierProgress.Of(Way(OrderStatus.InTransit, route: false), Pickup, Speed).EtaSeconds;
        var viaStop = CourierProgress.Of(Way(OrderStatus.InTransit, route: false, via: [stop]), Pickup, Speed).EtaSeconds;
        Assert.Equal(Eta.StraightLineSeconds(Pickup, stop, Speed) + Eta.StraightLineSeconds(stop, Dropoff, Speed), viaStop);
        Assert.True(viaStop > direct);
    }

    [Theory]
    [InlineData(OrderStatus.Accepted, true)]
    [InlineData(OrderStatus.ArrivedAtPickup, true)]
    [InlineData(OrderStatus.PickedUp, false)]
    [InlineData(OrderStatus.InTransit, false)]
    [InlineData(OrderStatus.ArrivedAtDropoff, false)]
    public void The_customer_sees_a_coarse_position_until_the_goods_are_carried_and_the_eta_with_the_pad(OrderStatus status, bool coarse)
    {
        var exact = At(-123, 37);
        var sight = CustomerView.Sight(Way(status, route: false), exact, padSeconds: 90, Speed);
        Assert.Equal(coarse, sight.Coarse);
        Assert.Equal(coarse ? GeoMath.Coarsen(exact, CustomerView.CoarseGridMetres) : exact, sight.Shown);
        Assert.Equal(Eta.ToDropoffSeconds(status, exact, Pickup, Dropoff, Speed) + 90, sight.EtaSeconds);
        if (coarse) Assert.NotEqual(exact, sight.Shown);
    }

    [Fact]
    public void The_push_message_carries_the_sight_and_nothing_exact_before_pickup()
    {
        var exact = At(-123, 37);
        var sight = CustomerView.Sight(OrderStatus.Accepted, exact, rawEtaSeconds: 300, padSeconds: 60);
        var message = CustomerView.Position(Guid.NewGuid(), sight, T0);
        Assert.Equal((sight.Shown.Lat, sight.Shown.Lon, 360, true), (message.Lat, message.Lon, message.EtaSeconds, message.Coarse));
        Assert.NotEqual((exact.Lat, exact.Lon), (message.Lat, message.Lon));
    }

    [Fact]
    public void No_route_yet_means_no_progress_and_no_reroute_however_far_the_courier_strays()
    {
        var step = Step(Way(OrderStatus.Accepted, route: false), At(-400, 500));
        Assert.Null(step.ProgressMetres);
        Assert.False(step.Reroute);
    }

    [Theory]
    [InlineData(0, false)]     // on the street
    [InlineData(50, false)]    // within the limit (GPS, the other lane)
    [InlineData(200, true)]    // a parallel street: off the route
    public void A_courier_off_the_route_by_more_than_the_limit_asks_for_a_new_one(double north, bool reroute)
    {
        var step = Step(Way(OrderStatus.Accepted, route: true), At(-400, north));
        Assert.Equal(reroute, step.Reroute);
        Assert.NotNull(step.ProgressMetres);
    }

    [Fact]
    public void Off_the_streets_next_to_a_stop_is_the_last_metres_not_a_detour()
    {
        // The drop-off lies 150 m off the route's end (a courtyard); a courier there is delivering, not lost.
        var courtyard = At(805, 150);
        var way = new OrderWay(OrderStatus.InTransit, Pickup, courtyard, Route: Route);
        Assert.False(Step(way, At(800, 140)).Reroute);
    }

    [Fact]
    public void Progress_along_the_route_only_grows()
    {
        var ahead = Step(Way(OrderStatus.Accepted, route: true, progress: 0), At(-200));
        var back = Step(Way(OrderStatus.Accepted, route: true, progress: ahead.ProgressMetres!.Value), At(-400));
        Assert.True(ahead.ProgressMetres > 500);
        Assert.Equal(ahead.ProgressMetres, back.ProgressMetres);
    }

    [Fact]
    public void A_held_back_push_sent_later_decides_only_the_push()
    {
        var step = Step(Way(OrderStatus.PickedUp, route: true), At(750, 200), moved: false);
        Assert.Null(step.ProgressMetres);
        Assert.False(step.Reroute);
        Assert.Equal(Milestone.None, step.Milestone);
        Assert.Equal(PushDecision.Now, step.Push);
    }

    [Theory]
    [InlineData(OrderStatus.Accepted, -50, Milestone.None, false, Milestone.None)]            // before pickup: no milestone
    [InlineData(OrderStatus.PickedUp, 50, Milestone.None, false, Milestone.None)]             // still at the pickup
    [InlineData(OrderStatus.PickedUp, 150, Milestone.None, false, Milestone.LeftPickup)]
    [InlineData(OrderStatus.PickedUp, 150, Milestone.LeftPickup, false, Milestone.None)]      // asked once already
    [InlineData(OrderStatus.InTransit, 600, Milestone.LeftPickup, false, Milestone.Arriving)] // 200 m from the door
    [InlineData(OrderStatus.InTransit, 600, Milestone.Arriving, false, Milestone.None)]
    [InlineData(OrderStatus.InTransit, 600, Milestone.None, true, Milestone.None)]            // errand stops still to do
    [InlineData(OrderStatus.ArrivedAtDropoff, 800, Milestone.None, false, Milestone.None)]
    public void Milestones_follow_the_status_and_the_distance(OrderStatus status, double east, Milestone asked, bool stopsLeft, Milestone expected)
    {
        IReadOnlyList<LatLon>? via = stopsLeft ? [At(700, 50)] : null;
        Assert.Equal(expected, Step(Way(status, route: true, via: via), At(east), asked: asked).Milestone);
    }

    [Fact]
    public void The_push_carries_the_padded_eta_and_is_held_back_when_the_last_one_was_too_recent()
    {
        var at = At(-400);
        var first = Step(Way(OrderStatus.Accepted, route: true), at, pad: 120);
        Assert.Equal(PushDecision.Now, first.Push);
        Assert.Equal(first.EtaSeconds + 120, first.Sight.EtaSeconds);
        Assert.True(first.Sight.Coarse);

        var recent = new LastPush(T0.AddMilliseconds(-300), first.Sight.EtaSeconds, GeoMath.Coarsen(At(-1000), CustomerView.CoarseGridMetres));
        Assert.Equal(PushDecision.Later, Step(Way(OrderStatus.Accepted, route: true), at, last: recent, pad: 120).Push);
        var same = new LastPush(T0.AddSeconds(-2), first.Sight.EtaSeconds + 2, first.Sight.Shown);
        Assert.Equal(PushDecision.Skip, Step(Way(OrderStatus.Accepted, route: true), at, last: same, pad: 120).Push);
    }
}
