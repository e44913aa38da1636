using Dispatch.Core.Reports;
using Dispatch.Core.Zones;
using Dispatch.Server.ControlRoom;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Reports;

/// <summary>
/// The statistics feature's coordinator: rolls a finished day up into zone_stats (idempotent: run it again and the rows are
/// replaced), computes today live (the day so far and each hour), and answers reports from both.
/// </summary>
internal sealed partial class StatisticsRollup(
    StatisticsFacts facts, StatisticsStore store, ZoneMap zones, TimeProvider clock, IOptions<ReportsOptions> options,
    IOptions<DispatchOptions> dispatch, ILogger<StatisticsRollup> logger)
{
    /// <summary>Computes every zone's figures for the UTC day and stores them, replacing any earlier roll-up of it.</summary>
    public async Task<IReadOnlyList<ZoneStatistics>> RunAsync(DateOnly day, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var periods = zones.All.Select(z => StatisticsCalculator.Day(z.Name, day)).ToList();
        var from = StatisticsCalculator.Day("", day).Start;
        var loaded = await facts.LoadAsync(from, from.AddDays(1), TimeSpan.FromDays(options.Value.OrderLookbackDays), ct);
        var rows = Compute(periods, loaded);
        await store.UpsertAsync(rows, clock.GetUtcNow(), ct);
        LogRolledUp(logger, day, rows.Count, loaded.Orders.Count, loaded.Offers.Count, loaded.Minutes.Count, clock.GetElapsedTime(started).TotalMilliseconds);
        return rows;
    }

    /// <summary>Today so far for the zones: the day's row and one per hour up to the current one, computed from the orders now.</summary>
    public async Task<(IReadOnlyList<ZoneStatistics> Day, IReadOnlyList<ZoneStatistics> Hours)> TodayAsync(IReadOnlyCollection<string> zoneNames, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var from = StatisticsCalculator.Day("", today).Start;
        var loaded = await facts.LoadAsync(from, now.AddTicks(1), TimeSpan.FromDays(options.Value.OrderLookbackDays), ct);
        var day = Compute([.. zoneNames.Select(z => StatisticsCalculator.Day(z, today))], loaded);
        var hours = Compute([.. zoneNames.SelectMany(z => StatisticsCalculator.Hours(z, today, now))], loaded);
        return (day, [.. hours.OrderBy(h => h.Start).ThenBy(h => h.Zone, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The report over whole UTC days [from, to]: rolled-up days from zone_stats, today (when in the range) computed live
    /// with its hours. A past day not rolled up yet is missing from <see cref="Report.Days"/>.
    /// </summary>
    public async Task<Report> ReportAsync(IReadOnlyCollection<string> zoneNames, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var storedTo = to < today ? to : today.AddDays(-1);
        var days = from <= storedTo
            ? await store.ReadAsync(zoneNames, StatisticsCalculator.Day("", from).Start, StatisticsCalculator.Day("", storedTo.AddDays(1)).Start, 24, ct)
            : [];
        IReadOnlyList<ZoneStatistics> hours = [];
        if (from <= today && today <= to)
        {
            var live = await TodayAsync(zoneNames, ct);
            days.AddRange(live.Day);
            hours = live.Hours;
        }
        return new Report(from, to, [.. zoneNames.Order(StringComparer.Ordinal)], days, hours);
    }

    private List<ZoneStatistics> Compute(List<ReportPeriod> periods, StatisticsFacts.Facts loaded) =>
        [.. StatisticsCalculator.Compute(periods, loaded.Orders, loaded.Offers, loaded.Minutes, dispatch.Value.ColdChainBudget)];

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Statistics of {Day} rolled up: {Rows} zone rows from {Orders} orders, {Offers} offers and {Minutes} courier-minutes in {Milliseconds} ms")]
    private static partial void LogRolledUp(ILogger logger, DateOnly day, int rows, int orders, int offers, int minutes, double milliseconds);
}
