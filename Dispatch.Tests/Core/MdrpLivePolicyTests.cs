using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

/// <summary>The live server's ranker and batch matcher, run on MDRP days through <see cref="LiveDispatchPolicy"/>.</summary>
public sealed class MdrpLivePolicyTests
{
    private static readonly MdrpRestaurant R1 = new("r1", 0, 0);

    [Fact]
    public void The_round_matches_globally_and_commits_late_as_the_server_does()
    {
        // Two orders at one restaurant, ready at 30 and 31: the near courier is not sent at minute 0 to wait half an hour
        // (late commitment: sent 4 minutes before they must leave), and the round gives each order its own courier.
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 500, 0, 0, 30), new MdrpOrder("o2", 0, 600, 0, 0, 31)],
            [new MdrpCourier("far", 2000, 0, 0, 120), new MdrpCourier("near", 300, 0, 0, 120)]);

        var solution = MdrpTestInstances.RunValid(instance, new LiveDispatchPolicy(instance), 1);

        Assert.Equal(2, solution.Assignments.Count);
        Assert.All(solution.Assignments, a => Assert.True(a.AssignmentTime >= 10, $"sent at minute {a.AssignmentTime}, long before the food is ready"));
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
}
