using Dispatch.Core.Geo;
using Dispatch.Core.Tracking;

namespace Dispatch.Tests.Core;

public sealed class TrackingPushesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly LatLon Here = new(43.7300, 7.4200);
    private static readonly TrackingPushLimits Limits = new(TimeSpan.FromSeconds(1), 60, TimeSpan.FromSeconds(15));

    private static LatLon North(double metres) => new(Here.Lat + metres / 111_320.0, Here.Lon);

    private static PushDecision Decide(double afterSeconds, int eta, LatLon shown) =>
        TrackingPushes.Decide(new LastPush(T0, 600, Here), T0.AddSeconds(afterSeconds), eta, shown, Limits);

    [Fact]
    public void The_first_position_is_always_sent()
    {
        Assert.Equal(PushDecision.Now, TrackingPushes.Decide(null, T0, 600, Here, Limits));
    }

    [Fact]
    public void A_move_is_sent_but_never_faster_than_the_limit()
    {
        var moved = North(20);
        Assert.Equal(PushDecision.Later, Decide(0.3, 595, moved));
        Assert.Equal(PushDecision.Now, Decide(1.0, 595, moved));
    }

    [Fact]
    public void Nothing_new_is_skipped_until_the_heartbeat()
    {
        var jitter = North(2);
        Assert.Equal(PushDecision.Skip, Decide(5, 595, jitter));   // ETA follows the countdown, position the same
        Assert.Equal(PushDecision.Now, Decide(15, 585, jitter));
    }

    [Fact]
    public void An_eta_a_minute_off_the_countdown_is_news_even_without_moving()
    {
        Assert.Equal(PushDecision.Skip, Decide(10, 600 - 10 + 59, Here));
        Assert.Equal(PushDecision.Now, Decide(10, 600 - 10 + 60, Here));   // stuck in traffic: later by a minute
        Assert.Equal(PushDecision.Now, Decide(10, 600 - 10 - 90, Here));   // a faster way: earlier
        Assert.Equal(PushDecision.Later, Decide(0.5, 700, Here));           // but still within the rate
    }
}
