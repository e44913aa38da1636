using Dispatch.Core.Notifications;

namespace Dispatch.Tests.Core;

public sealed class QuietNightTests
{
    // Monaco: UTC+1 in December, UTC+2 in July. Night 21:00–07:00, morning pickups 07:00–12:00.
    private static readonly QuietNight Night = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/Monaco"), 21, 7, 12);

    private static DateTimeOffset Local(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // event (local), pickup (local), held until (local) or null
    [InlineData("2026-12-06T23:30+01:00", "2026-12-07T09:00+01:00", "2026-12-07T07:00+01:00")] // before midnight: until tomorrow 07:00
    [InlineData("2026-12-07T02:00+01:00", "2026-12-07T09:00+01:00", "2026-12-07T07:00+01:00")] // after midnight: until 07:00 today
    [InlineData("2026-12-06T21:00+01:00", "2026-12-07T07:00+01:00", "2026-12-07T07:00+01:00")] // both edges included
    [InlineData("2026-12-07T06:59+01:00", "2026-12-07T11:59+01:00", "2026-12-07T07:00+01:00")]
    [InlineData("2026-12-06T20:59+01:00", "2026-12-07T09:00+01:00", null)] // evening: not night yet
    [InlineData("2026-12-07T07:00+01:00", "2026-12-07T09:00+01:00", null)] // the night is over
    [InlineData("2026-12-06T23:30+01:00", "2026-12-07T12:00+01:00", null)] // a noon pickup is not a morning one
    [InlineData("2026-12-06T23:30+01:00", "2026-12-07T06:00+01:00", null)] // nor is one before the night ends
    [InlineData("2026-12-06T22:30Z", "2026-12-07T08:00Z", "2026-12-07T06:00Z")] // UTC in, local hours decide (23:30 and 09:00 local)
    [InlineData("2026-07-06T22:30+02:00", "2026-07-07T08:00+02:00", "2026-07-07T07:00+02:00")] // summer time
    public void Frozen_morning_pickups_of_a_merchant_that_asked_are_held_at_night(string at, string pickup, string? until)
    {
        var held = Night.HoldUntil(Local(at), merchantAsked: true, frozen: true, Local(pickup));
        Assert.Equal(until is null ? null : Local(until), held);
    }

    [Theory]
    [InlineData(false, true, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    public void Without_the_merchant_a_frozen_order_or_a_pickup_time_nothing_is_held(bool merchantAsked, bool frozen, bool hasPickup)
    {
        var held = Night.HoldUntil(Local("2026-12-06T23:30+01:00"), merchantAsked, frozen, hasPickup ? Local("2026-12-07T09:00+01:00") : null);
        Assert.Null(held);
    }

    [Fact]
    public void A_night_that_does_not_wrap_midnight_works_too()
    {
        var early = new QuietNight(TimeZoneInfo.Utc, 0, 6, 10);
        Assert.Equal(Local("2026-12-07T06:00Z"), early.HoldUntil(Local("2026-12-07T03:00Z"), true, true, Local("2026-12-07T08:00Z")));
        Assert.Null(early.HoldUntil(Local("2026-12-06T23:00Z"), true, true, Local("2026-12-07T08:00Z")));
    }
}
