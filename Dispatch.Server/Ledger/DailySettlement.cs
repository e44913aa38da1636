using Dispatch.Core.Ledger;
using Dispatch.Core.Zones;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Ledger;

/// <summary>
/// Closes a local day in the time zone of the zone where the money was earned (each line carries it; Dispatch:EarningsTimeZone
/// for lines with none, such as adjustments): for each time zone whose day has ended (the others are left to a later run), courier and currency, what the day's
/// lines credited to pending moves to settled, in one transaction for the run. A courier working in two zones has each day
/// closed at each zone's midnight. Each settlement is its own cause (courier, day, currency, time zone), so a second run, on
/// this node or another, books nothing new. Core's <see cref="LocalDay"/> decides where each day begins and ends.
/// </summary>
internal sealed partial class DailySettlement(
    IDbContextFactory<DispatchDbContext> dbs,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<DailySettlement> logger,
    ZoneMap? zones = null)
{
    public async Task<SettlementResult> RunAsync(DateOnly day, CancellationToken ct)
    {
        var fallback = options.Value.EarningsTimeZone;
        var now = clock.GetUtcNow();
        // Every instant of local day D, in any time zone (UTC-12..UTC+14), lies between D-1 and D+2 at UTC midnight.
        var wideFrom = new DateTimeOffset(day.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var wideTo = new DateTimeOffset(day.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var pending = db.Set<LedgerLineRecord>().AsNoTracking()
            .Where(l => l.Account == LedgerAccounts.CourierPending && l.Kind != LedgerLineKinds.Settlement && l.CourierId != null);
        var inUse = await pending.Where(l => l.At >= wideFrom && l.At < wideTo).Select(l => l.TimeZone ?? fallback).Distinct().ToListAsync(ct);
        var timeZones = inUse.Append(fallback).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        int settled = 0, already = 0, notEnded = 0;
        long moved = 0;
        foreach (var id in timeZones)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                LogUnknownTimeZone(logger, id, day);
                continue;
            }
            var (localFrom, localTo) = LocalDay.Bounds(day, zone);
            var (from, to) = (localFrom.ToUniversalTime(), localTo.ToUniversalTime());
            if (to > now)
            {
                notEnded++;
                continue;
            }
            var credits = await pending
                .Where(l => (l.TimeZone ?? fallback) == id && l.At >= from && l.At < to)
                .GroupBy(l => new { l.CourierId, l.Currency })
                .Select(g => new { g.Key.CourierId, g.Key.Currency, Credit = -g.Sum(l => l.Amount) })
                .ToListAsync(ct);
            foreach (var c in credits.OrderBy(c => c.CourierId))
            {
                // The server's own time zone keeps its old cause, so a day settled before zones had time zones is not settled twice.
                var cause = string.Equals(id, fallback, StringComparison.Ordinal) ? null : id;
                if (LedgerRules.Settlement(c.CourierId!.Value, day, c.Credit, c.Currency, cause) is not { } posting) continue;
                if (await LedgerWriter.PostAsync(db, posting, "settlement", now, ct))
                {
                    settled++;
                    moved += c.Credit;
                }
                else already++;
            }
        }
        await tx.CommitAsync(ct);
        LogSettled(logger, day, settled, already, moved, notEnded);
        return new SettlementResult(day, settled, already, moved, notEnded);
    }

    /// <summary>
    /// The days the job closes now: in each time zone of a zone (and the server's own), the last local day that is over.
    /// Zones far apart may be on different dates; each date is run, and each run closes only the time zones where it is over.
    /// </summary>
    public IReadOnlyList<DateOnly> DueDays(DateTimeOffset now)
    {
        var ids = (zones?.All.Select(z => z.TimeZone) ?? []).Append(options.Value.EarningsTimeZone).OfType<string>().Distinct(StringComparer.Ordinal);
        var days = new SortedSet<DateOnly>();
        foreach (var id in ids)
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) days.Add(LocalDay.LastEnded(now, zone));
        }
        return [.. days];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Day {Day} settled: {Settled} courier days now, {Already} before, {Moved} minor units moved, {NotEnded} time zones not over yet")]
    private static partial void LogSettled(ILogger logger, DateOnly day, int settled, int already, long moved, int notEnded);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger lines of day {Day} carry time zone {TimeZone}, which this machine does not know; they stay pending")]
    private static partial void LogUnknownTimeZone(ILogger logger, string timeZone, DateOnly day);
}
