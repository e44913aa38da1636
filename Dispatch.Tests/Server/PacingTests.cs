using Dispatch.Server.Common;

namespace Dispatch.Tests.Server;

/// <summary>The pace of a node's own bursts (refreshing every page after a Redis outage): a pause per tenth of the rate, none below it.</summary>
public sealed class PacingTests
{
    [Theory]
    [InlineData(100, 25, 2)] // 10 a slice: steps 11 and 21 wait
    [InlineData(100, 10, 0)]
    [InlineData(1_000, 25, 0)]
    [InlineData(10, 3, 2)] // at least one a slice
    public async Task Steps_past_a_slice_s_share_wait_for_the_next_slice(int perSecond, int steps, int pauses)
    {
        var clock = new CountingClock();
        var pace = new Pacing(perSecond, clock);
        for (var i = 0; i < steps; i++) await pace.NextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(pauses, clock.Timers);
        Assert.All(clock.Waits, w => Assert.Equal(TimeSpan.FromMilliseconds(100), w));
    }

    /// <summary>Counts the pauses asked for and lets each end at once.</summary>
    private sealed class CountingClock : TimeProvider
    {
        public int Timers => Waits.Count;

        public List<TimeSpan> Waits { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Waits.Add(dueTime);
            return System.CreateTimer(callback, state, TimeSpan.Zero, period);
        }
    }
}
