using Dispatch.Core.Notifications;

namespace Dispatch.Tests.Core;

public sealed class DelayRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly DelayRule Rule = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5));

    [Theory]
    // promise, current ETA, last fix: minutes from now (null = unknown)
    [InlineData(0, 5, -1, DelayReason.None)] // 5 min late: within the threshold
    [InlineData(0, 10, -1, DelayReason.None)] // exactly the threshold: not yet
    [InlineData(0, 11, -1, DelayReason.EtaPastPromise)]
    [InlineData(-20, 0, -1, DelayReason.EtaPastPromise)] // promised 20 min ago, arriving now
    [InlineData(30, 35, -1, DelayReason.None)]
    [InlineData(30, 35, -6, DelayReason.CourierSilent)] // on time by the last fix, but silent past the limit
    [InlineData(30, 35, -5, DelayReason.None)] // exactly the limit: not yet
    [InlineData(30, null, null, DelayReason.CourierSilent)] // no position known at all
    public void Late_means_past_the_promise_by_more_than_the_threshold_or_a_silent_courier(int promise, int? eta, int? fix, DelayReason expected)
    {
        var reason = Rule.Decide(Now.AddMinutes(promise), eta is { } e ? Now.AddMinutes(e) : null, fix is { } f ? Now.AddMinutes(f) : null, Now);
        Assert.Equal(expected, reason);
    }
}
