using Dispatch.Core.Earnings;
using Dispatch.Core.Ledger;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Ledger;

/// <summary>
/// Closes a local day (Dispatch:EarningsTimeZone, the time zone every zone keeps its days in today): for each courier and
/// currency, what the day's lines credited to pending moves to settled, in one transaction for the day. Each courier's
/// settlement is its own cause (courier, day, currency), so a second run, on this node or another, books nothing new. A day
/// that has not ended is refused: lines are stamped with the time they are booked, so a closed day gets no later lines.
/// </summary>
public sealed partial class DailySettlement(
    IDbContextFactory<DispatchDbContext> dbs,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<DailySettlement> logger)
{
    public async Task<SettlementResult> RunAsync(DateOnly day, CancellationToken ct)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.EarningsTimeZone);
        var noon = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), zone.GetUtcOffset(day.ToDateTime(new TimeOnly(12, 0))));
        var (from, to) = EarningsDay.Containing(noon, zone);
        var now = clock.GetUtcNow();
        if (to > now) throw new ArgumentOutOfRangeException(nameof(day), day, $"Day {day:yyyy-MM-dd} has not ended in {zone.Id}; a day is settled once it is over.");
        var fromUtc = from.ToUniversalTime();
        var toUtc = to.ToUniversalTime();

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var credits = await db.LedgerLines.AsNoTracking()
            .Where(l => l.Account == LedgerAccounts.CourierPending && l.Kind != LedgerLineKinds.Settlement && l.At >= fromUtc && l.At < toUtc && l.CourierId != null)
            .GroupBy(l => new { l.CourierId, l.Currency })
            .Select(g => new { g.Key.CourierId, g.Key.Currency, Credit = -g.Sum(l => l.Amount) })
            .ToListAsync(ct);
        int settled = 0, already = 0;
        long moved = 0;
        foreach (var c in credits.OrderBy(c => c.CourierId))
        {
            if (LedgerRules.Settlement(c.CourierId!.Value, day, c.Credit, c.Currency) is not { } posting) continue;
            if (await LedgerWriter.PostAsync(db, posting, "settlement", now, ct))
            {
                settled++;
                moved += c.Credit;
            }
            else already++;
        }
        await tx.CommitAsync(ct);
        LogSettled(logger, day, settled, already, moved);
        return new SettlementResult(day, settled, already, moved);
    }

    /// <summary>The local day before <paramref name="now"/>: what the daily job settles.</summary>
    public DateOnly Yesterday(DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(options.Value.EarningsTimeZone)).Date).AddDays(-1);

    [LoggerMessage(Level = LogLevel.Information, Message = "Day {Day} settled: {Settled} couriers now, {Already} before, {Moved} minor units moved")]
    private static partial void LogSettled(ILogger logger, DateOnly day, int settled, int already, long moved);
}
