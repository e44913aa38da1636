using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

/// <summary>The live server's ranker and batch matcher, run on MDRP days through <see cref="LiveDispatchPolicy"/>.</summary>
public sealed class MdrpLivePolicyTests
{
    private static readonly MdrpRestaurant R1 = new("r1", 0, 0);

    [Fact]
    public void The_round_matches_globally_and_commits_late_as_the_server_does()
    {
        // Two orders at one restaurant, ready at 30 and 31: no courier is sent at minute 0 to wait there (late commitment: each
        // is sent at most 4 minutes before they must leave, the far one earlier than the near one), and the round gives each
        // order its own courier.
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 500, 0, 0, 30), new MdrpOrder("o2", 0, 600, 0, 0, 31)],
            [new MdrpCourier("far", 2000, 0, 0, 120), new MdrpCourier("near", 300, 0, 0, 120)]);

        var solution = MdrpTestInstances.RunValid(instance, new LiveDispatchPolicy(instance), 1);

        Assert.Equal(2, solution.Assignments.Count);
        Assert.All(solution.Assignments, a => Assert.True(a.Route.PickupTime - a.Route.RestaurantArrival <= instance.PickupBefore + 4,
            $"sent at minute {a.AssignmentTime}, at the restaurant at {a.Route.RestaurantArrival}, long before the food is ready at {a.Route.PickupTime}"));
        Assert.Equal(2, MdrpMetrics.Compute(solution).Delivered);
        Assert.Equal(["far", "near"], solution.Assignments.Select(a => instance.Couriers[a.Courier].Id).Order());
    }

    [Fact]
    public void A_courier_who_cannot_pick_up_before_the_off_time_is_not_a_candidate()
    {
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 100, 0, 0, 5)],
            [new MdrpCourier("late", 300, 0, 0, 4), new MdrpCourier("ok", 1000, 0, 0, 60)]);

        var a = Assert.Single(MdrpTestInstances.RunValid(instance, new LiveDispatchPolicy(instance), 1).Assignments);

        Assert.Equal("ok", instance.Couriers[a.Courier].Id);
    }

    [Fact]
    public void An_order_waits_for_a_busy_courier_who_frees_up_nearby_instead_of_a_far_idle_one()
    {
        // As for the rolling-horizon policy: "near" takes o0 at 0 and is free at 12 at (0, 300), 3 minutes from r1, so it
        // can pick up o1 at 17; "far" is idle 30 minutes away and could pick up o1 only at 33.
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o0", 0, 300, 0, 0, 0), new MdrpOrder("o1", 0, 500, 1, 0, 14)],
            [new MdrpCourier("near", 100, 0, 0, 200), new MdrpCourier("far", 3000, 0, 0, 200)]);

        var solution = MdrpTestInstances.RunValid(instance, new LiveDispatchPolicy(instance), 1);

        Assert.Equal(2, solution.Assignments.Count);
        Assert.All(solution.Assignments, a => Assert.Equal("near", instance.Couriers[a.Courier].Id));
        Assert.Equal(17, solution.Assignments.Single(a => a.Route.Orders[0] == 1).Route.PickupTime);
    }

    [Fact]
    public void Orders_that_outnumber_the_couriers_leave_one_restaurant_bundled()
    {
        // One courier, three orders of one restaurant ready together: one trip carries them all, sent late.
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 500, 0, 0, 10), new MdrpOrder("o2", 100, 500, 0, 0, 10), new MdrpOrder("o3", 200, 500, 0, 0, 10)],
            [new MdrpCourier("c1", 300, 0, 0, 120)]);

        var a = Assert.Single(MdrpTestInstances.RunValid(instance, new LiveDispatchPolicy(instance), 1).Assignments);

        Assert.Equal(3, a.Route.Orders.Count);
        Assert.Equal(10, a.Route.PickupTime);
    }

    [Fact]
    public void With_the_servers_bundle_size_of_one_every_trip_carries_one_order()
    {
        // The same day as above with the server's own MaxBundle (1): the one courier makes three trips, one order each.
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 500, 0, 0, 10), new MdrpOrder("o2", 100, 500, 0, 0, 10), new MdrpOrder("o3", 200, 500, 0, 0, 10)],
            [new MdrpCourier("c1", 300, 0, 0, 120)]);

        var solution = MdrpTestInstances.RunValid(instance, new LiveDispatchPolicy(instance, maxBundle: 1), 1);

        Assert.Equal(3, solution.Assignments.Count);
        Assert.All(solution.Assignments, a => Assert.Single(a.Route.Orders));
        Assert.Equal(3, MdrpMetrics.Compute(solution).Delivered);
    }
}
