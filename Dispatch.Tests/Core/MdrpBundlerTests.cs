using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

public sealed class MdrpBundlerTests
{
    private static readonly MdrpInstance Instance = MdrpTestInstances.Make(
        [new MdrpRestaurant("r1", 0, 0), new MdrpRestaurant("r2", 1000, 0)],
        [
            new MdrpOrder("o1", 0, 500, 0, 0, 0),
            new MdrpOrder("o2", 0, 600, 0, 0, 15),
            new MdrpOrder("o3", 0, 700, 0, 0, 16),
            new MdrpOrder("o4", 1000, 500, 0, 1, 15),
        ],
        []);

    [Fact]
    public void Bundles_never_mix_restaurants_and_respect_the_size_and_the_ready_spread()
    {
        var bundles = MdrpBundler.ByReadyTime(Instance, [0, 1, 2, 3], size: 2, readySpreadMinutes: 10);

        // o1 is ready 15 minutes before o2: alone; o2 and o3 together; o4 at the other restaurant alone.
        Assert.Equal(3, bundles.Count);
        Assert.Equal([[0], [1, 2], [3]], bundles.Select(b => b.Sequence.Order().ToArray()).OrderBy(s => s[0]).ToArray());
        Assert.Equal(16, bundles.Single(b => b.Sequence.Contains(1)).ReadyTime);
    }

    [Fact]
    public void Orders_ready_before_now_do_not_hold_each_other_up()
    {
        // At minute 20 o1 (ready at 0) and o2 (ready at 15) are both waiting: their spread is nothing.
        var bundles = MdrpBundler.ByReadyTime(Instance, [0, 1], size: 2, readySpreadMinutes: 10, notBefore: 20);

        var bundle = Assert.Single(bundles);
        Assert.Equal([0, 1], bundle.Sequence.Order());
    }

    [Fact]
    public void Bundle_prices_every_drop_off_relative_to_the_pickup()
    {
        // From r1 (0, 0): o1 at 500 m (5 min), then o2 100 m further (1 min); 2 + 2 minutes of service each.
        var bundle = MdrpBundle.Plan(Instance, [1, 0]);

        Assert.Equal([0, 1], bundle.Sequence);
        // Drop-offs at pickup + 2 + 5 + 2 = +9 and +9 + 2 + 1 + 2 = +14; the courier leaves at +16.
        Assert.Equal(9 + 14, bundle.DropOffsetSum);
        Assert.Equal(16, bundle.AfterPickup);
        Assert.Equal((2 * 20L) + 23 - 0, bundle.ClickToDoor(20));
    }
}
