using Dispatch.Core.Ledger;

namespace Dispatch.Tests.Core;

public sealed class EarningsWindowTests
{
    private static readonly DateOnly Today = new(2026, 12, 6); // a Sunday

    [Fact]
    public void Without_dates_it_is_the_last_14_days_and_8_weeks_newest_first()
    {
        var (window, error) = EarningsWindow.For(null, null, Today);
        Assert.Null(error);
        Assert.Equal(14, window!.Days.Count());
        Assert.Equal((Today, Today.AddDays(-13)), (window.Days.First(), window.Days.Last()));
        Assert.Equal([new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 23)], window.Weeks.Take(2));
        Assert.Equal(8, window.Weeks.Count());
    }

    [Fact]
    public void A_range_covers_its_days_and_the_weeks_they_touch()
    {
        var (window, _) = EarningsWindow.For(new DateOnly(2026, 11, 29), new DateOnly(2026, 12, 1), Today);
        Assert.Equal([new DateOnly(2026, 12, 1), new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 29)], window!.Days);
        Assert.Equal([new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 23)], window.Weeks);
        Assert.Equal(new DateOnly(2026, 12, 1).AddDays(-13), EarningsWindow.For(null, new DateOnly(2026, 12, 1), Today).Window!.From);
    }

    [Theory]
    [InlineData("2026-12-02", "2026-12-01", "is after to")]
    [InlineData("2026-01-01", "2026-12-01", "at most 92 days")]
    public void A_bad_range_is_refused_with_a_reason(string from, string to, string reason)
    {
        var (window, error) = EarningsWindow.For(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), Today);
        Assert.Null(window);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
