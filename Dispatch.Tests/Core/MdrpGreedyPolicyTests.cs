using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

public sealed class MdrpGreedyPolicyTests
{
    private static readonly MdrpRestaurant R1 = new("r1", 0, 0);

    [Fact]
    public void Naive_greedy_sends_the_courier_who_picks_up_first_at_once_one_order_each()
    {
        // Ready at 30: both couriers could pick up at 30, the near one arrives first; no waiting for readiness.
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 500, 0, 0, 30), new MdrpOrder("o2", 0, 600, 0, 0, 31)],
            [new MdrpCourier("far", 2000, 0, 0, 120), new MdrpCourier("near", 300, 0, 0, 120)]);

        var solution = MdrpTestInstances.RunValid(instance, GreedyPolicy.Naive(), 1);

        Assert.Equal(2, solution.Assignments.Count);
        Assert.All(solution.Assignments, a => Assert.Single(a.Route.Orders));
        var first = solution.Assignments.Single(a => a.Route.Orders[0] == 0);
        Assert.Equal("near", instance.Couriers[first.Courier].Id);
        Assert.Equal(0, first.AssignmentTime);
        Assert.Equal(0, solution.Assignments.Single(a => a.Route.Orders[0] == 1).AssignmentTime);
    }

    [Fact]
    public void Bundling_greedy_waits_to_commit_and_bundles_one_restaurant()
    {
        var instance = MdrpTestInstances.Make(
            [R1, new MdrpRestaurant("r2", 4000, 0)],
            [
                new MdrpOrder("o1", 0, 500, 0, 0, 30),
                new MdrpOrder("o2", 0, -500, 1, 0, 32),
                new MdrpOrder("o3", 4000, 500, 40, 1, 45),
            ],
            [new MdrpCourier("c1", 0, 0, 0, 200)]);

        var solution = MdrpTestInstances.RunValid(instance, GreedyPolicy.BundlingWithLateCommitment(), 1);

        var first = solution.Assignments[0];
        Assert.Equal([0, 1], first.Route.Orders.Order());
        // Courier at the restaurant: not sent before the wait for the food drops to 4 minutes.
        Assert.Equal(32 - 2 - 4, first.AssignmentTime);
        Assert.Equal(32, first.Route.PickupTime);
        Assert.Equal(3, MdrpMetrics.Compute(solution).Delivered);
    }

    [Fact]
    public void Greedy_never_sends_a_courier_who_cannot_pick_up_before_the_off_time()
    {
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 100, 0, 0, 5)],
            [new MdrpCourier("late", 3000, 0, 0, 20), new MdrpCourier("ok", 1000, 0, 0, 60)]);

        var a = Assert.Single(MdrpTestInstances.RunValid(instance, GreedyPolicy.Naive(), 1).Assignments);

        Assert.Equal("ok", instance.Couriers[a.Courier].Id);
    }
}
