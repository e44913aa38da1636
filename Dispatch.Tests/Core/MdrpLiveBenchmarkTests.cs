using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

/// <summary>
/// The live policy's numbers on a few small real Grubhub instances from ../shared/data/mdrp (a second or two each), pinned so a
/// regression in the dispatch brain fails CI; the whole table is infra/bench-mdrp.sh. The simulator is deterministic.
/// </summary>
public sealed class MdrpLiveBenchmarkTests
{
    [Theory]
    // instance, orders, live's mean click-to-door as measured (2026-12-07, with the age weight at 0.25; before: 27.59, 28.20,
    // 35.72), and whether the issue 21 goals hold there (≤ 1.06 × the bound, ≤ 1.02 × rolling-horizon). On the short-handed
    // evening of 0r50t100s1p125 live is within 0.2 % of rolling-horizon, but neither is within 1.06 × the bound (1.063 and 1.061).
    [InlineData("0o50t75s1p100", 252, 27.55, true)]
    [InlineData("0r50t75s2p100", 242, 28.20, true)]
    [InlineData("0r50t100s1p125", 242, 35.74, false)]
    public void Live_delivers_every_order_of_a_small_day_as_fast_as_pinned(string name, int orders, double pinnedMean, bool meetsGoals)
    {
        var instance = MdrpReferenceData.Load(name);

        var live = MdrpMetrics.Compute(MdrpTestInstances.RunValid(instance, new LiveDispatchPolicy(instance), 1));

        Assert.Equal(orders, live.Orders);
        Assert.Equal(orders, live.Delivered);
        Assert.True(live.MeanClickToDoor <= pinnedMean, $"{name}: live mean click-to-door {live.MeanClickToDoor:F3} min, pinned at most {pinnedMean}");
        if (!meetsGoals) return;
        var rollingHorizon = MdrpMetrics.Compute(MdrpTestInstances.RunValid(instance));
        Assert.True(live.MeanClickToDoor <= 1.06 * live.ClickToDoorBound, $"{name}: {live.MeanClickToDoor:F3} min is over 1.06 × the bound {live.ClickToDoorBound:F3}");
        Assert.True(live.MeanClickToDoor <= 1.02 * rollingHorizon.MeanClickToDoor,
            $"{name}: {live.MeanClickToDoor:F3} min is over 1.02 × rolling-horizon's {rollingHorizon.MeanClickToDoor:F3}");
    }

    [Theory]
    // Short-handed evenings where the last couriers' final trips are shared. With an age weight of 1 live left 1 and 2 orders
    // behind here: couriers crossed town for the oldest orders while nearer ones aged, and ran out before the last were served.
    // Every order here is deliverable by some policy.
    [InlineData("1r50t100s1p100", 268)]
    [InlineData("1o50t75s1p125", 269)]
    public void Live_delivers_every_order_of_a_short_handed_evening(string name, int orders)
    {
        var instance = MdrpReferenceData.Load(name);

        var live = MdrpMetrics.Compute(MdrpTestInstances.RunValid(instance, new LiveDispatchPolicy(instance), 1));

        Assert.Equal(0, live.Undeliverable);
        Assert.Equal(orders, live.Orders);
        Assert.True(live.Delivered == orders, $"{name}: live left {live.Orders - live.Delivered} of {live.Orders} orders undelivered");
    }
}
