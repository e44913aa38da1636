using Dispatch.Core.Orders;
using Dispatch.Core.Reports;

namespace Dispatch.Tests.Core;

/// <summary>A hand-made day in one zone with every figure known in advance.</summary>
public sealed class StatisticsCalculatorTests
{
    private static readonly DateOnly Day = new(2026, 12, 1);
    private static readonly DateTimeOffset Midnight = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid Ann = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid Bob = Guid.Parse("00000000-0000-0000-0000-0000000000b2");

    private static DateTimeOffset At(int hour, int minute) => Midnight.AddHours(hour).AddMinutes(minute);

    private static OrderFact Delivered(Guid courier, int createdMinute, int pickedMinute, int deliveredMinute, int promisedMinute, int fee, bool cold = false, int? etaMinute = null) =>
        new("z", OrderStatus.Delivered, At(10, createdMinute), At(10, promisedMinute), At(10, createdMinute + 1), null,
            At(10, createdMinute + 2), At(10, pickedMinute), At(10, deliveredMinute), etaMinute is { } e ? At(10, e) : null, cold, courier, fee);

    private static IEnumerable<OnlineMinute> Online(Guid courier, int fromMinute, int count, string zone = "z") =>
        Enumerable.Range(fromMinute, count).Select(m => new OnlineMinute(courier, zone, At(10, m)));

    [Fact]
    public void A_day_s_figures_come_out_exactly()
    {
        OrderFact[] orders =
        [
            Delivered(Ann, 0, 10, 20, 30, 500, etaMinute: 18),           // 20 min to door, on time, ETA off by 2 min
            Delivered(Ann, 20, 25, 50, 40, 700, cold: true),            // 30 min, late, cold chain 25 min on the road
            Delivered(Bob, 5, 7, 45, 60, 400, cold: true, etaMinute: 50), // 40 min, on time, cold chain 38 min: excursion
            new("z", OrderStatus.Cancelled, At(9, 0), At(11, 0), null, null, null, null, At(10, 30), null, false, null, null),
            new("z", OrderStatus.Failed, At(9, 0), At(11, 0), At(9, 1), null, At(9, 2), At(9, 10), At(12, 0), null, false, Bob, null),
            new("other", OrderStatus.Delivered, At(10, 0), At(11, 0), null, null, null, null, At(10, 30), null, false, Ann, 999),
            // Finished the day before: not counted.
            new("z", OrderStatus.Delivered, At(-2, 0), At(-1, 0), null, null, null, null, At(-1, 0), null, false, null, 100),
        ];
        OfferFact[] offers = [new("z", At(10, 1), true), new("z", At(10, 2), false), new("z", At(10, 3), false), new("z", At(10, 4), true), new("other", At(10, 5), false)];
        // Ann online 60 minutes (10:00–10:59), holding orders 10:02–10:20 and 10:22–10:50: busy 18 + 28 minutes. Bob online 30
        // minutes (10:00–10:29), holding an order from 09:02 to 12:00: busy all 30.
        OnlineMinute[] minutes = [.. Online(Ann, 0, 60), .. Online(Bob, 0, 30), .. Online(Bob, 40, 5, "other")];

        var s = Assert.Single(StatisticsCalculator.Compute([StatisticsCalculator.Day("z", Day)], orders, offers, minutes, TimeSpan.FromMinutes(30)));

        Assert.Equal((3, 1, 1, 2), (s.Delivered, s.Cancelled, s.Failed, s.OnTime));
        Assert.Equal(2.0 / 3, s.OnTimeShare!.Value, 9);
        Assert.Equal(30 * 60, s.ClickToDoorMeanSeconds);
        Assert.Equal(40 * 60, s.ClickToDoorP90Seconds);
        // Ready = paid (a minute after creation): 9, 4 and 1 minutes to pickup.
        Assert.Equal((9 + 4 + 1) * 60 / 3.0, s.ReadyToPickupMeanSeconds!.Value, 9);
        Assert.Equal((4, 2, 0.5), (s.Offers, s.OffersAccepted, s.AcceptanceRate));
        Assert.Equal((90, 76), (s.OnlineMinutes, s.BusyMinutes));
        Assert.Equal(1600, s.EarningsCents);
        Assert.Equal(2, s.Couriers);
        // Ann: 1200 cents in 1 h; Bob: 400 cents in 0.5 h = 800/h. Zone: 1600 cents in 1.5 h. Spread: σ 200 / mean 1000.
        Assert.Equal(1600 / 1.5, s.EarningsPerOnlineHourCents!.Value, 9);
        Assert.Equal(0.2, s.EarningsPerHourSpread!.Value, 9);
        Assert.Equal((2, 1), (s.ColdChainDelivered, s.ColdChainExcursions));
        Assert.Equal(((2 + 5) * 60 / 2.0, 2), (s.EtaErrorMeanSeconds, s.EtaSamples));
    }

    [Fact]
    public void An_empty_day_has_counts_of_zero_and_no_means()
    {
        var s = Assert.Single(StatisticsCalculator.Compute([StatisticsCalculator.Day("z", Day)], [], [], [], TimeSpan.FromMinutes(30)));
        Assert.Equal(0, s.Delivered + s.Offers + s.OnlineMinutes);
        Assert.Null(s.ClickToDoorMeanSeconds);
        Assert.Null(s.OnTimeShare);
        Assert.Null(s.AcceptanceRate);
        Assert.Null(s.EarningsPerHourSpread);
    }

    [Theory]
    [InlineData(new double[] { 5 }, 5)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 9)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, 10)]
    public void P90_is_the_nearest_rank(double[] sorted, double expected) =>
        Assert.Equal(expected, StatisticsCalculator.Percentile(sorted, 0.9));

    [Fact]
    public void Today_s_hours_stop_at_the_current_hour()
    {
        var hours = StatisticsCalculator.Hours("z", Day, At(13, 20)).ToList();
        Assert.Equal(14, hours.Count);
        Assert.Equal(At(13, 0), hours[^1].Start);
    }
}
