using Dispatch.Core.Ledger;

namespace Dispatch.Tests.Core;

/// <summary>Where local days begin and end for settlement and earnings, daylight-saving changes included.</summary>
public sealed class LocalDayTests
{
    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("Europe/Paris", "2026-03-28", "2026-03-27T23:00Z", "2026-03-28T23:00Z", 24)]
    [InlineData("Europe/Paris", "2026-03-29", "2026-03-28T23:00Z", "2026-03-29T22:00Z", 23)] // clocks forward at 02:00
    [InlineData("Europe/Paris", "2026-10-25", "2026-10-24T22:00Z", "2026-10-25T23:00Z", 25)] // clocks back at 03:00
    [InlineData("America/Santiago", "2026-09-06", "2026-09-06T04:00Z", "2026-09-07T03:00Z", 23)] // midnight skipped: the day starts at 01:00
    [InlineData("America/Santiago", "2026-04-04", "2026-04-04T03:00Z", "2026-04-05T04:00Z", 25)] // clocks back at midnight
    [InlineData("Asia/Tokyo", "2026-11-10", "2026-11-09T15:00Z", "2026-11-10T15:00Z", 24)]
    [InlineData("America/New_York", "2026-11-01", "2026-11-01T04:00Z", "2026-11-02T05:00Z", 25)]
    public void A_local_day_is_the_instants_between_two_local_midnights(string zone, string day, string from, string to, int hours)
    {
        var (start, end) = LocalDay.Bounds(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), Zone(zone));
        Assert.Equal((Utc(from), Utc(to)), (start.ToUniversalTime(), end.ToUniversalTime()));
        Assert.Equal(hours, (end - start).TotalHours);
    }

    [Fact]
    public void Consecutive_days_tile_time_with_no_gap_and_no_overlap_through_a_year_of_changes()
    {
        foreach (var id in new[] { "Europe/Paris", "America/Santiago", "Australia/Lord_Howe", "Asia/Shanghai" })
        {
            var zone = Zone(id);
            for (var day = new DateOnly(2026, 1, 1); day < new DateOnly(2027, 1, 1); day = day.AddDays(1))
            {
                var (from, to) = LocalDay.Bounds(day, zone);
                Assert.Equal(to, LocalDay.Bounds(day.AddDays(1), zone).From);
                Assert.Equal(day, LocalDay.Of(from, zone));
                Assert.Equal(day, LocalDay.Of(to.AddTicks(-1), zone));
            }
        }
    }

    [Fact]
    public void Zones_far_apart_close_the_same_date_at_their_own_midnights()
    {
        var tokyo = Zone("Asia/Tokyo");
        var newYork = Zone("America/New_York");
        var day = new DateOnly(2026, 11, 10);
        var now = Utc("2026-11-10T15:05Z"); // 00:05 on the 11th in Tokyo, 10:05 on the 10th in New York
        Assert.True(LocalDay.HasEnded(day, tokyo, now));
        Assert.False(LocalDay.HasEnded(day, newYork, now));
        Assert.Equal((day, day.AddDays(-1)), (LocalDay.LastEnded(now, tokyo), LocalDay.LastEnded(now, newYork)));
        Assert.True(LocalDay.HasEnded(day, newYork, Utc("2026-11-11T05:00Z")));
    }
}
