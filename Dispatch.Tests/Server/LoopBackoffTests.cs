using Dispatch.Server.Common;

namespace Dispatch.Tests.Server;

/// <summary>A failing background loop pauses 500 ms, doubling with each failure in a row, never more than the cap.</summary>
public sealed class LoopBackoffTests
{
    [Theory]
    [InlineData(1, 500)]
    [InlineData(2, 1_000)]
    [InlineData(3, 2_000)]
    [InlineData(6, 16_000)]
    [InlineData(7, 30_000)]
    [InlineData(1_000, 30_000)]
    public void The_pause_doubles_up_to_the_cap(int failuresInARow, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ResilientLoop.Pause(failuresInARow, new BackgroundLoopOptions()));
}
