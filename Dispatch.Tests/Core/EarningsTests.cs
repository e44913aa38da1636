using Dispatch.Core.Earnings;
using Dispatch.Core.Geo;

namespace Dispatch.Tests.Core;

public sealed class EarningsTests
{
    [Theory]
    [InlineData(0, 300)]
    [InlineData(1000, 380)]
    [InlineData(2500, 500)]
    [InlineData(1006.2, 380)]
    [InlineData(1006.25, 381)]
    public void The_fee_is_a_base_plus_a_rate_per_kilometre(double metres, int cents) =>
        Assert.Equal(cents, new FeeModel(300, 80).FeeCents(metres));

    [Fact]
    public void The_fee_follows_the_great_circle_distance_between_pickup_and_dropoff()
    {
        var casino = new LatLon(43.7396, 7.4276);
        var fontvieille = new LatLon(43.7309, 7.4197);
        var metres = GeoMath.DistanceMetres(casino, fontvieille);
        Assert.Equal(300 + (int)Math.Round(80 * metres / 1000, MidpointRounding.AwayFromZero), new FeeModel(300, 80).FeeCents(casino, fontvieille));
    }

    [Fact]
    public void Negative_or_missing_distances_are_bugs() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeeModel(300, 80).FeeCents(double.NaN));

    [Fact]
    public void Today_is_the_local_calendar_day()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        // 23:30 UTC on 10 July is 01:30 on 11 July in Paris (UTC+2).
        var (from, to) = EarningsDay.Containing(new DateTimeOffset(2026, 7, 10, 23, 30, 0, TimeSpan.Zero), paris);
        Assert.Equal(new DateTimeOffset(2026, 7, 11, 0, 0, 0, TimeSpan.FromHours(2)), from);
        Assert.Equal(new DateTimeOffset(2026, 7, 12, 0, 0, 0, TimeSpan.FromHours(2)), to);
    }

    [Fact]
    public void A_day_with_a_clock_change_is_23_hours_long()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var (from, to) = EarningsDay.Containing(new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.Zero), paris);
        Assert.Equal(TimeSpan.FromHours(23), to - from);
    }
}
