using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

public sealed class MdrpRollingHorizonPolicyTests
{
    private static readonly MdrpRestaurant R1 = new("r1", 0, 0);

    [Fact]
    public void A_bundle_waits_for_a_busy_courier_who_frees_up_nearby_instead_of_a_far_idle_one()
    {
        // "near" takes o0 at 0 and is free at 12 at (0, 300), 3 minutes from r1: it can pick up o1 at 17.
        // "far" is idle 30 minutes away: it could only pick up o1 at 33.
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o0", 0, 300, 0, 0, 0), new MdrpOrder("o1", 0, 500, 1, 0, 14)],
            [new MdrpCourier("near", 100, 0, 0, 200), new MdrpCourier("far", 3000, 0, 0, 200)]);

        var solution = MdrpTestInstances.RunValid(instance);

        Assert.Equal(2, solution.Assignments.Count);
        Assert.All(solution.Assignments, a => Assert.Equal("near", instance.Couriers[a.Courier].Id));
        Assert.Equal(17, solution.Assignments.Single(a => a.Route.Orders[0] == 1).Route.PickupTime);
    }

    [Theory]
    [InlineData(100, "old")]
    [InlineData(0, "new")]
    public void With_one_courier_for_two_orders_the_older_goes_first_unless_age_is_ignored(int ageWeightPercent, string first)
    {
        // One courier from minute 9, both restaurants one minute away, both orders ready at 12. "old" waited 9
        // minutes longer but its drop-off is 5 minutes further: by age it goes first, by delivery time alone not.
        var instance = MdrpTestInstances.Make(
            [R1, new MdrpRestaurant("r2", 200, 0)],
            [new MdrpOrder("old", 0, 600, 0, 0, 12), new MdrpOrder("new", 200, 100, 9, 1, 12)],
            [new MdrpCourier("c1", 100, 0, 9, 200)]);

        var solution = MdrpTestInstances.RunValid(instance, new RollingHorizonOptions { IntervalMinutes = 1, AgeWeightPercent = ageWeightPercent });

        Assert.Equal(2, solution.Assignments.Count);
        Assert.Equal(first, instance.Orders[solution.Assignments[0].Route.Orders[0]].Id);
    }

    [Fact]
    public void An_order_rides_along_with_a_courier_leaving_its_restaurant_when_no_other_courier_is_near()
    {
        // Two orders of r1 ready together, drop-offs on the same street; the second courier is 40 minutes away.
        var instance = MdrpTestInstances.Make(
            [R1],
            [new MdrpOrder("o1", 0, 500, 0, 0, 10), new MdrpOrder("o2", 0, 700, 0, 0, 10)],
            [new MdrpCourier("c1", 0, 0, 0, 200), new MdrpCourier("c2", 4000, 0, 0, 200)]);

        var a = Assert.Single(MdrpTestInstances.RunValid(instance).Assignments);

        Assert.Equal("c1", instance.Couriers[a.Courier].Id);
        Assert.Equal([0, 1], a.Route.Orders);
    }

    [Fact]
    public void Every_order_of_a_busy_small_day_is_delivered_with_valid_files()
    {
        // 30 orders in 45 minutes at three restaurants for three couriers: more than one order per trip is needed
        // to keep up, and the shifts are long enough to deliver everything.
        var restaurants = new[] { R1, new MdrpRestaurant("r2", 800, 0), new MdrpRestaurant("r3", 0, 800) };
        var orders = Enumerable.Range(0, 30)
            .Select(i => new MdrpOrder($"o{i}", ((i * 733) % 1600) - 800, ((i * 397) % 1600) - 800, i * 3 / 2, i % 3, (i * 3 / 2) + 10 + (i % 7)))
            .ToArray();
        var couriers = new[] { new MdrpCourier("c1", 0, 0, 0, 300), new MdrpCourier("c2", 800, 0, 0, 300), new MdrpCourier("c3", 0, 800, 0, 300) };
        var instance = MdrpTestInstances.Make(restaurants, orders, couriers);

        var metrics = MdrpMetrics.Compute(MdrpTestInstances.RunValid(instance));

        Assert.Equal(30, metrics.Delivered);
        Assert.True(metrics.OrdersPerBundle > 1.2, $"three couriers for 30 orders in 45 minutes should bundle, got {metrics.OrdersPerBundle:F2} orders per trip");
    }
}
