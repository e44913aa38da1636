using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class TripPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    // One "unit" of distance is 1 km of latitude; legs cost 100 s per km so times are easy to read.
    private static LatLon At(double kmNorth, double kmEast = 0) => new(43.70 + (kmNorth / 111.32), 7.40 + (kmEast / 80.5));

    private static double Leg(LatLon a, LatLon b) => Math.Round(GeoMath.DistanceMetres(a, b) / 10);

    private static Guid Id(int n) => new(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private static CarriedOrder Order(int n, LatLon pickup, LatLon dropoff, OrderKind kind = OrderKind.Errand, int promisedInMinutes = 60, DateTimeOffset? pickedUpAt = null, DateTimeOffset? readyAt = null) =>
        new(Id(n), kind, pickup, dropoff, Now.AddMinutes(promisedInMinutes), pickedUpAt, readyAt);

    [Fact]
    public void Every_pickup_comes_before_any_drop_off()
    {
        var plan = TripPlanner.Plan(At(0), Now, [Order(1, At(1), At(2)), Order(2, At(3), At(1.5))], Leg, 0);

        Assert.Equal([true, true, false, false], plan.Stops.Select(s => s.IsPickup));
        Assert.Equal(Now.AddSeconds(100), plan.Stops[0].ArriveAt);   // nearest pickup first
        Assert.Equal(Now.AddSeconds(300), plan.PickupAt[Id(2)]);
    }

    [Fact]
    public void Frozen_goods_are_dropped_first_even_when_farther()
    {
        var plan = TripPlanner.Plan(At(0), Now, [Order(1, At(0), At(1)), Order(2, At(0), At(5), OrderKind.Frozen)], Leg, 0);

        var drops = plan.Stops.Where(s => !s.IsPickup).Select(s => s.OrderId).ToList();
        Assert.Equal([Id(2), Id(1)], drops);
        Assert.Equal(500, plan.OnBoard(Id(2)).TotalSeconds, 1.5);
    }

    [Fact]
    public void Drop_offs_go_in_the_order_that_makes_the_fewest_seconds_late()
    {
        // Order 2 is promised first but is 3 km out: late whatever happens. Taking it first makes order 1 late too
        // (180 + 320 s late in all); dropping order 1 on the way costs only order 2's 180 s.
        var near = Order(1, At(0), At(1), promisedInMinutes: 3);
        var far = Order(2, At(0), At(3), promisedInMinutes: 2);
        var plan = TripPlanner.Plan(At(0), Now, [near, far], Leg, 0);

        Assert.Equal([Id(1), Id(2)], plan.Stops.Where(s => !s.IsPickup).Select(s => s.OrderId));
        Assert.Equal(100, (plan.DropoffAt[Id(1)] - Now).TotalSeconds, 1.5);
        Assert.Equal(300, (plan.DropoffAt[Id(2)] - Now).TotalSeconds, 1.5);
    }

    [Fact]
    public void Stops_at_the_same_place_share_one_service_time()
    {
        var plan = TripPlanner.Plan(At(0), Now, [Order(1, At(1), At(2)), Order(2, At(1), At(2))], Leg, 60);

        Assert.Equal(plan.Stops[0].LeaveAt, plan.Stops[1].LeaveAt);
        Assert.Equal(plan.Stops[2].LeaveAt, plan.Stops[3].LeaveAt);
        Assert.Equal(plan.DropoffAt[Id(1)], plan.DropoffAt[Id(2)]);
    }

    [Fact]
    public void The_courier_waits_at_the_pickup_until_the_goods_are_ready()
    {
        var plan = TripPlanner.Plan(At(0), Now, [Order(1, At(1), At(2), readyAt: Now.AddMinutes(10))], Leg, 60);

        Assert.Equal(Now.AddSeconds(100), plan.Stops[0].ArriveAt);
        // Ready at 10 min: parked and walked in while waiting, so only the second half of the minute's service follows.
        Assert.Equal(Now.AddMinutes(10).AddSeconds(30), plan.PickupAt[Id(1)]);
        Assert.Equal(Now.AddMinutes(10).AddSeconds(30 + 100 + 30), plan.DropoffAt[Id(1)]); // hand-over in the middle of the drop-off stop
    }

    [Theory]
    // Arrives at 100 s; service 60 s, half of it before the hand-over. Ready before the courier has walked in: the whole
    // service after arrival. Ready later: the walk-in overlaps the wait, the walk-out follows the ready time (the MDRP rule).
    [InlineData(0, 160)]
    [InlineData(130, 160)]
    [InlineData(140, 170)]
    [InlineData(600, 630)]
    public void Parking_and_walking_in_overlap_the_wait_for_the_goods(int readyAfterSeconds, int leavesAfterSeconds)
    {
        var plan = TripPlanner.Plan(At(0), Now, [Order(1, At(1), At(2), readyAt: Now.AddSeconds(readyAfterSeconds))], Leg, 60);

        Assert.Equal(Now.AddSeconds(100), plan.Stops[0].ArriveAt);
        Assert.Equal(Now.AddSeconds(leavesAfterSeconds), plan.PickupAt[Id(1)]);
    }

    [Fact]
    public void Goods_already_on_board_keep_their_pickup_time_and_have_no_pickup_stop()
    {
        var picked = Now.AddMinutes(-20);
        var plan = TripPlanner.Plan(At(0), Now, [Order(1, At(-5), At(3), OrderKind.Frozen, pickedUpAt: picked)], Leg, 0);

        Assert.Single(plan.Stops);
        Assert.Equal(picked, plan.PickupAt[Id(1)]);
        Assert.Equal(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(300), plan.OnBoard(Id(1)));
    }
}
