using Dispatch.Core.Contracts;
using Dispatch.Core.Earnings;
using Dispatch.Core.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Couriers;

/// <summary>Reads a courier's deliveries and fees of the local day (fees are fixed on each order at delivery).</summary>
public sealed class CourierEarnings(IDbContextFactory<DispatchDbContext> dbs, TimeProvider clock, IOptions<DispatchOptions> options)
{
    public async Task<EarningsSummary> TodayAsync(Guid courierId, CancellationToken ct)
    {
        var o = options.Value;
        var (from, to) = EarningsDay.Containing(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(o.EarningsTimeZone));
        var fromUtc = from.ToUniversalTime();
        var toUtc = to.ToUniversalTime();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var day = await db.Orders.AsNoTracking()
            .Where(x => x.CourierId == courierId && x.Status == OrderStatus.Delivered && x.DeliveredAt >= fromUtc && x.DeliveredAt < toUtc)
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Fees = g.Sum(x => (long?)x.CourierFeeCents) ?? 0, Reimbursed = g.Sum(x => (long?)x.ApprovedCents) ?? 0 })
            .FirstOrDefaultAsync(ct);
        return new EarningsSummary(from, to, day?.Count ?? 0, day?.Fees ?? 0, day?.Reimbursed ?? 0, o.Currency);
    }
}
