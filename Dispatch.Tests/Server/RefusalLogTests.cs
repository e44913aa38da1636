using Dispatch.Server.Common;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Dispatch.Tests.Server;

/// <summary>A flooding client gets one log line per interval, which then says how many refusals it stood for.</summary>
public sealed class RefusalLogTests
{
    [Fact]
    public void A_flood_is_logged_once_per_client_per_interval_with_the_count_it_hid()
    {
        var clock = new ManualClock();
        var log = new RefusalLog(Options.Create(new RateLimitOptions { LogIntervalSeconds = 60 }), clock);

        var lines = Enumerable.Range(0, 23_000).Count(_ => log.ShouldLog("fixes", "courier-a", out long _));
        Assert.Equal(1, lines);
        Assert.True(log.ShouldLog("fixes", "courier-b", out var none), "another client is logged at once");
        Assert.Equal(0, none);
        Assert.True(log.ShouldLog("orders", "courier-a", out _), "another kind of refusal is logged at once");

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(log.ShouldLog("fixes", "courier-a", out long _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(log.ShouldLog("fixes", "courier-a", out var hidden));
        Assert.Equal(23_000, hidden);
    }
}
