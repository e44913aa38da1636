using Dispatch.Core.Pricing;

namespace Dispatch.Tests.Core;

public sealed class PriceCalculatorTests
{
    private const int Noon = 12 * 60;

    // Base 4.00, 1.20/km, 1.50 per extra stop, 3.00 cold chain, night 22–06 ×1.5, rush 08–09:30 ×1.2, minimum 6.00.
    private static readonly PricingRule Rule = new(
        "EUR", BaseCents: 400, PerKmCents: 120, PerExtraStopCents: 150, ColdChainCents: 300,
        NightMultiplier: 1.5m, Night: TimeWindow.TryParse("22:00-06:00"),
        RushMultiplier: 1.2m, RushHours: [TimeWindow.TryParse("08:00-09:30")!.Value],
        MinimumCents: 600);

    private static PriceBreakdown Price(double metres, int stops = 0, bool cold = false, int minute = Noon, PricingRule? rule = null) =>
        PriceCalculator.Price(rule ?? Rule, new PricedTrip(metres, stops, cold, minute));

    private static int Line(PriceBreakdown p, string code) => p.Lines.Single(l => l.Code == code).AmountCents;

    [Fact]
    public void Base_fare_plus_distance_per_started_100_m()
    {
        var p = Price(5_050); // 5.1 km started
        Assert.Equal(400, Line(p, "base"));
        Assert.Equal(612, Line(p, "distance"));
        Assert.Equal(1_012, p.TotalCents);
        Assert.Equal("EUR", p.Currency);
        Assert.Equal("5.1 km", p.Lines.Single(l => l.Code == "distance").Label);
    }

    [Fact]
    public void Each_stop_beyond_pickup_and_dropoff_adds_its_fee()
    {
        var p = Price(5_000, stops: 3);
        Assert.Equal(450, Line(p, "stops"));
        Assert.Equal(400 + 600 + 450, p.TotalCents);
        Assert.DoesNotContain(Price(5_000).Lines, l => l.Code == "stops");
    }

    [Fact]
    public void Cold_chain_adds_its_surcharge_only_when_needed()
    {
        Assert.Equal(300, Line(Price(5_000, cold: true), "coldChain"));
        Assert.DoesNotContain(Price(5_000).Lines, l => l.Code == "coldChain");
    }

    [Theory]
    [InlineData(23 * 60, 500)]        // 1000 × 0.5
    [InlineData(2 * 60, 500)]         // after midnight, still night
    [InlineData(6 * 60, 0)]           // the night's end is exclusive
    [InlineData(21 * 60 + 59, 0)]
    public void Night_multiplies_the_subtotal(int minute, int extra)
    {
        var p = Price(5_000, minute: minute);
        Assert.Equal(extra, p.Lines.Where(l => l.Code == "night").Sum(l => l.AmountCents));
        Assert.Equal(1_000 + extra, p.TotalCents);
    }

    [Theory]
    [InlineData(8 * 60, 200)]
    [InlineData(9 * 60 + 29, 200)]
    [InlineData(9 * 60 + 30, 0)]
    public void Rush_hour_multiplies_the_subtotal(int minute, int extra)
    {
        var p = Price(5_000, minute: minute);
        Assert.Equal(extra, p.Lines.Where(l => l.Code == "rush").Sum(l => l.AmountCents));
    }

    [Fact]
    public void When_night_and_rush_overlap_only_the_larger_applies()
    {
        var overlap = Rule with { RushHours = [TimeWindow.TryParse("22:00-23:00")!.Value], RushMultiplier = 1.8m };
        var p = Price(5_000, minute: 22 * 60 + 30, rule: overlap);
        Assert.Equal(800, Line(p, "rush"));
        Assert.DoesNotContain(p.Lines, l => l.Code == "night");
    }

    [Fact]
    public void A_short_trip_is_topped_up_to_the_minimum_fare()
    {
        var p = Price(300); // 400 + 36
        Assert.Equal(164, Line(p, "minimum"));
        Assert.Equal(600, p.TotalCents);
        Assert.DoesNotContain(Price(5_000).Lines, l => l.Code == "minimum");
    }

    [Fact]
    public void The_lines_always_add_up_to_the_total()
    {
        foreach (var metres in new[] { 0, 99, 101, 1_234, 9_999 })
        {
            foreach (var minute in new[] { 0, 8 * 60, Noon, 23 * 60 })
            {
                var p = Price(metres, stops: metres % 3, cold: metres % 2 == 0, minute: minute);
                Assert.Equal(p.TotalCents, p.Lines.Sum(l => l.AmountCents));
                Assert.True(p.TotalCents >= Rule.MinimumCents);
            }
        }
    }

    [Fact]
    public void Half_cents_round_away_from_zero()
    {
        var odd = Rule with { PerKmCents = 125 }; // 0.1 km = 12.5 cents
        Assert.Equal(13, Line(Price(100, rule: odd), "distance"));
    }

    [Theory]
    [InlineData("22:00-06:00", true)]
    [InlineData("08:00-09:30", true)]
    [InlineData("8-9", false)]
    [InlineData("10:00-10:00", false)]
    [InlineData("25:00-26:00", false)]
    [InlineData(null, false)]
    public void Windows_are_read_from_HH_mm_pairs(string? text, bool valid) => Assert.Equal(valid, TimeWindow.TryParse(text) is not null);
}
