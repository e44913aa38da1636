using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

/// <summary>
/// The live policy's numbers on a few small real Grubhub instances from ../shared/data/mdrp (a second or two each), pinned so a
/// regression in the dispatch brain fails CI; the whole table is infra/bench-mdrp.sh. The simulator is deterministic.
/// </summary>
public sealed class MdrpLiveBenchmarkTests
{
    [Theory]
    // instance, orders, live's mean click-to-door as measured (2026-12-07, with the pickup hand-over model and ride-along; before:
    // 27.68, 28.26, 35.84), and whether the issue 21 goals hold there (≤ 1.06 × the bound, ≤ 1.02 × rolling-horizon). On the
    // short-handed evening of 0r50t100s1p125 live is within 0.2 % of rolling-horizon, but neither is within 1.06 × the bound
    // (1.062 and 1.061).
    [InlineData("0o50t75s1p100", 252, 27.59, true)]
    [InlineData("0r50t75s2p100", 242, 28.20, true)]
    [InlineData("0r50t100s1p125", 242, 35.72, false)]
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

    [Fact]
    public void Live_leaves_at_most_one_order_behind_on_a_short_handed_evening()
    {
        // Seven orders for the last two couriers' final trips: live left 3 behind before the pickup hand-over model and
        // ride-along (rolling-horizon leaves none); every order here is deliverable by some policy.
        var instance = MdrpReferenceData.Load("1r50t100s1p100");

        var live = MdrpMetrics.Compute(MdrpTestInstances.RunValid(instance, new LiveDispatchPolicy(instance), 1));

        Assert.Equal(0, live.Undeliverable);
        Assert.True(live.Orders - live.Delivered <= 1, $"live left {live.Orders - live.Delivered} of {live.Orders} orders undelivered");
    }
}
