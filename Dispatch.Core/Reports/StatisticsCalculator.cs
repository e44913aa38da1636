using Dispatch.Core.Orders;

namespace Dispatch.Core.Reports;

/// <summary>
/// Computes a zone's figures for days or hours from order, offer and online-minute facts. Pure: the caller loads the facts
/// (orders finished in or overlapping the periods, offers made in them, courier minutes in them) and stores the answer.
/// </summary>
public static class StatisticsCalculator
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <param name="coldChainBudget">longest time frozen goods may travel from pickup to hand-over</param>
    public static IReadOnlyList<ZoneStatistics> Compute(
        IEnumerable<ReportPeriod> periods, IReadOnlyList<OrderFact> orders, IReadOnlyList<OfferFact> offers,
        IReadOnlyList<OnlineMinute> minutes, TimeSpan coldChainBudget)
    {
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(offers);
        ArgumentNullException.ThrowIfNull(minutes);
        var finishedByZone = orders.Where(o => o.FinishedAt is not null && OrderStateMachine.IsTerminal(o.Status)).ToLookup(o => o.Zone, StringComparer.Ordinal);
        var offersByZone = offers.ToLookup(o => o.Zone, StringComparer.Ordinal);
        var minutesByZone = minutes.ToLookup(m => m.Zone, StringComparer.Ordinal);
        // A courier is busy while holding any accepted order, whatever its zone.
        var heldByCourier = orders.Where(o => o is { CourierId: not null, AcceptedAt: not null })
            .ToLookup(o => o.CourierId!.Value, o => (From: o.AcceptedAt!.Value, To: o.FinishedAt ?? DateTimeOffset.MaxValue));
        return [.. periods.Select(p => One(p, finishedByZone[p.Zone], offersByZone[p.Zone], minutesByZone[p.Zone], heldByCourier, coldChainBudget))];
    }

    private static ZoneStatistics One(
        ReportPeriod period, IEnumerable<OrderFact> zoneFinished, IEnumerable<OfferFact> zoneOffers, IEnumerable<OnlineMinute> zoneMinutes,
        ILookup<Guid, (DateTimeOffset From, DateTimeOffset To)> held, TimeSpan coldChainBudget)
    {
        var finished = zoneFinished.Where(o => period.Holds(o.FinishedAt!.Value)).ToList();
        var delivered = finished.Where(o => o.Status == OrderStatus.Delivered).ToList();
        var clickToDoor = delivered.Select(o => (o.FinishedAt!.Value - o.CreatedAt).TotalSeconds).Order().ToList();
        // Picked up before the goods were due ready counts as no wait, not a negative one.
        var readyToPickup = delivered.Where(o => o.PickedUpAt is not null && (o.ReadyAt ?? o.PaidAt) is not null)
            .Select(o => Math.Max(0, (o.PickedUpAt!.Value - (o.ReadyAt ?? o.PaidAt)!.Value).TotalSeconds)).ToList();
        var coldChain = delivered.Where(o => o.ColdChain).ToList();
        var etaErrors = delivered.Where(o => o.EtaAtAccept is not null).Select(o => Math.Abs((o.FinishedAt!.Value - o.EtaAtAccept!.Value).TotalSeconds)).ToList();
        var periodOffers = zoneOffers.Where(o => period.Holds(o.At)).ToList();

        var online = zoneMinutes.Where(m => period.Holds(m.Minute)).GroupBy(m => m.CourierId).ToList();
        var busyMinutes = online.Sum(c => c.Count(m => held[c.Key].Any(h => h.From < m.Minute + Minute && h.To > m.Minute)));
        var onlineMinutes = online.Sum(c => c.Count());
        var feesByCourier = delivered.Where(o => o.CourierId is not null).GroupBy(o => o.CourierId!.Value)
            .ToDictionary(g => g.Key, g => (long)g.Sum(o => o.FeeCents ?? 0));
        var perHour = online.Select(c => feesByCourier.GetValueOrDefault(c.Key) / (c.Count() / 60.0)).ToList();
        double? earningsPerHour = onlineMinutes == 0 ? null : online.Sum(c => feesByCourier.GetValueOrDefault(c.Key)) / (onlineMinutes / 60.0);

        return new ZoneStatistics(
            period.Zone, period.Start, period.Hours,
            delivered.Count, finished.Count(o => o.Status == OrderStatus.Cancelled), finished.Count(o => o.Status == OrderStatus.Failed),
            delivered.Count(o => o.FinishedAt <= o.PromisedAt),
            Mean(clickToDoor), Percentile(clickToDoor, 0.9), Mean(readyToPickup),
            periodOffers.Count, periodOffers.Count(o => o.Accepted),
            onlineMinutes, busyMinutes,
            delivered.Sum(o => (long)(o.FeeCents ?? 0)), earningsPerHour, Spread(perHour), online.Count,
            coldChain.Count, coldChain.Count(o => o.PickedUpAt is { } picked && o.FinishedAt!.Value - picked > coldChainBudget),
            Mean(etaErrors), etaErrors.Count);
    }

    private static double? Mean(List<double> values) => values.Count == 0 ? null : values.Average();

    /// <summary>Nearest-rank percentile of sorted values: the smallest value with at least <paramref name="share"/> of them at or below it.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double share)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) return null;
        var rank = (int)Math.Ceiling(share * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>σ ÷ mean (population), 0 when everyone earned nothing; null with nobody online.</summary>
    private static double? Spread(List<double> rates)
    {
        if (rates.Count == 0) return null;
        var mean = rates.Average();
        if (mean == 0) return 0;
        var variance = rates.Sum(r => (r - mean) * (r - mean)) / rates.Count;
        return Math.Sqrt(variance) / mean;
    }

    /// <summary>The zone's day, one period from midnight UTC.</summary>
    public static ReportPeriod Day(string zone, DateOnly day) => new(zone, new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), 24);

    /// <summary>The day's hours up to (not including) <paramref name="until"/>'s hour's end, for today's live figures.</summary>
    public static IEnumerable<ReportPeriod> Hours(string zone, DateOnly day, DateTimeOffset until)
    {
        var start = Day(zone, day).Start;
        for (var h = 0; h < 24 && start.AddHours(h) < until; h++) yield return new ReportPeriod(zone, start.AddHours(h), 1);
    }
}
