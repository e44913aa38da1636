using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

public sealed class MdrpMetricsTests
{
    [Fact]
    public void Bound_and_undeliverable_orders_follow_from_the_instance_alone()
    {
        // o1: ready 10 minutes after placement, 1050 m from the restaurant (11 minutes): at best 10 + 2 + 11 + 2 = 25.
        // o2: placed at 50, after the only courier's shift ended at 40: no policy can deliver it.
        var instance = MdrpTestInstances.Make(
            [new MdrpRestaurant("r1", 0, 0)],
            [new MdrpOrder("o1", 0, 1050, 10, 0, 20), new MdrpOrder("o2", 0, 100, 50, 0, 55)],
            [new MdrpCourier("c1", 0, 0, 0, 40)]);

        var metrics = MdrpMetrics.Compute(MdrpTestInstances.RunValid(instance));

        Assert.Equal(1, metrics.Delivered);
        Assert.Equal(1, metrics.Undeliverable);
        // o2's own bound: 5 + 2 + 1 + 2 = 10.
        Assert.Equal((25 + 10) / 2.0, metrics.ClickToDoorBound);
        Assert.True(metrics.MeanClickToDoor >= 25);
    }
}
