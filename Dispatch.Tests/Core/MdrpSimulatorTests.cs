using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

public sealed class MdrpSimulatorTests
{
    private static readonly MdrpRestaurant R1 = new("r1", 0, 0);

    [Fact]
    public void Pickup_waits_for_the_ready_time_and_travel_rounds_up()
    {
        // Courier 250 m away: ceil(2.5) = 3 minutes; the order is ready at 20, long after arrival.
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 1050, 10, 0, 20)],
            [new MdrpCourier("c1", 250, 0, 0, 120)]);

        var a = Assert.Single(MdrpTestInstances.RunValid(instance).Assignments);

        Assert.Equal(20, a.Route.PickupTime);
        Assert.Equal(a.Route.Departure + 3, a.Route.RestaurantArrival);
        // Leave at 22, 1050 m = ceil(10.5) = 11 minutes, drop-off 2 minutes after arrival.
        Assert.Equal([33], a.Route.DropoffArrivals);
        Assert.Equal([35], a.Route.DropoffTimes);
    }

    [Fact]
    public void Late_commitment_keeps_the_courier_until_the_food_is_nearly_ready()
    {
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 100, 0, 0, 30)],
            [new MdrpCourier("c1", 0, 0, 0, 120)]);

        var a = Assert.Single(MdrpTestInstances.RunValid(instance, new RollingHorizonOptions { IntervalMinutes = 1, CommitSlackMinutes = 4 }).Assignments);

        // Waiting at most 4 minutes at the restaurant: sent at 24 (arrive 24, service half until 26, pickup 30).
        Assert.Equal(24, a.AssignmentTime);
        Assert.Equal(30, a.Route.PickupTime);
    }

    [Fact]
    public void No_pickup_after_the_off_time_so_the_order_stays_undelivered()
    {
        // 3000 m = 30 minutes to the restaurant, but the shift ends at 20.
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 100, 0, 0, 5)],
            [new MdrpCourier("c1", 3000, 0, 0, 20)]);

        var solution = MdrpTestInstances.RunValid(instance);

        Assert.Empty(solution.Assignments);
        Assert.Equal(0, MdrpMetrics.Compute(solution).Delivered);
        Assert.Contains("o1 0 5 NA NA NA", MdrpSolutionWriter.Orders(solution), StringComparison.Ordinal);
    }

    [Fact]
    public void Drop_offs_after_the_off_time_are_allowed()
    {
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 5000, 0, 0, 8)],
            [new MdrpCourier("c1", 0, 0, 0, 10)]);

        var a = Assert.Single(MdrpTestInstances.RunValid(instance).Assignments);

        Assert.True(a.Route.PickupTime <= 10);
        Assert.True(a.Route.DropoffTimes[0] > 10);
    }

    [Fact]
    public void Bundles_stay_within_one_restaurant_and_pickup_waits_for_every_order()
    {
        // Four orders, one courier: bundling is forced, but never across restaurants.
        var instance = MdrpTestInstances.Make(
            [R1, new MdrpRestaurant("r2", 5000, 0)],
            [
                new MdrpOrder("o1", 0, 300, 0, 0, 5),
                new MdrpOrder("o2", 0, 600, 0, 0, 9),
                new MdrpOrder("o3", 5000, 300, 0, 1, 5),
                new MdrpOrder("o4", 5000, 600, 0, 1, 6),
            ],
            [new MdrpCourier("c1", 0, 0, 0, 300)]);

        var solution = MdrpTestInstances.RunValid(instance);

        Assert.Equal(4, MdrpMetrics.Compute(solution).Delivered);
        foreach (var a in solution.Assignments)
        {
            Assert.Single(a.Route.Orders.Select(o => instance.Orders[o].Restaurant).Distinct());
            Assert.True(a.Route.PickupTime >= a.Route.Orders.Max(o => instance.Orders[o].ReadyTime));
        }
        Assert.Equal(2, solution.Assignments.Count);
    }

    [Fact]
    public void Simulator_refuses_a_policy_that_breaks_the_rules()
    {
        var instance = MdrpTestInstances.Make(
            [R1, new MdrpRestaurant("r2", 5000, 0)],
            [new MdrpOrder("o1", 0, 300, 0, 0, 5), new MdrpOrder("o2", 0, 300, 0, 1, 5)],
            [new MdrpCourier("c1", 0, 0, 0, 300)]);

        var ex = Assert.Throws<InvalidOperationException>(() => MdrpSimulator.Run(instance, new FixedPolicy([new MdrpInstruction(0, [0, 1])]), 1));
        Assert.Contains("two restaurants", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_view_shows_a_busy_courier_with_where_and_when_it_will_be_free()
    {
        // c1 takes o1 at 0: restaurant at its feet, pickup at 2, leaves at 4, drives 5, drops off at 11, free at 13 at (0, 500).
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 500, 0, 0, 0), new MdrpOrder("o2", 0, 100, 3, 0, 40)],
            [new MdrpCourier("c1", 0, 0, 0, 120), new MdrpCourier("c2", 0, 0, 0, 120)]);
        var policy = new RecordingPolicy();

        MdrpSimulator.Run(instance, policy, 1);

        var atThree = policy.Views.First(v => v.Now == 3);
        var busy = Assert.Single(atThree.BusyCouriers);
        Assert.Equal(new MdrpBusyCourier(0, 0, 500, 13), busy);
        Assert.Equal([1], atThree.IdleCouriers.Select(c => c.Courier));
        Assert.Equal([1], atThree.OpenOrders);
    }

    // Sends c1 with o1 at once, then only watches.
    private sealed class RecordingPolicy : IMdrpPolicy
    {
        public List<MdrpView> Views { get; } = [];

        public IReadOnlyList<MdrpInstruction> Decide(MdrpView view)
        {
            Views.Add(view);
            return view.Now == 0 ? [new MdrpInstruction(0, [0])] : [];
        }
    }

    private sealed class FixedPolicy(IReadOnlyList<MdrpInstruction> instructions) : IMdrpPolicy
    {
        public IReadOnlyList<MdrpInstruction> Decide(MdrpView view) => instructions;
    }
}
