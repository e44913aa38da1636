using Dispatch.Core.Contracts;
using Dispatch.Core.Earnings;
using Dispatch.Core.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Couriers;

/// <summary>Reads a courier's deliveries and fees of the local day (fees are fixed on each order at delivery).</summary>
internal sealed class CourierEarnings(IDbContextFactory<DispatchDbContext> dbs, TimeProvider clock, IOptions<DispatchOptions> options)
{
    public async Task<EarningsSummary> TodayAsync(Guid courierId, CancellationToken ct)
    {
        var o = options.Value;
        var (from, to) = EarningsDay.Containing(clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(o.EarningsTimeZone));
        var fromUtc = from.ToUniversalTime();
        var toUtc = to.ToUniversalTime();
        await using var db = await dbs.CreateDbContextAsync(ct);
        // A courier's day is tens of orders: read their two amounts and add them up here.
        var day = await db.Orders.AsNoTracking()
            .Where(x => x.CourierId == courierId && x.Status == OrderStatus.Delivered && x.DeliveredAt >= fromUtc && x.DeliveredAt < toUtc)
            .Select(x => new { x.CourierFeeCents, x.ApprovedCents })
            .ToListAsync(ct);
        return new EarningsSummary(from, to, day.Count, day.Sum(x => (long)(x.CourierFeeCents ?? 0)), day.Sum(x => (long)(x.ApprovedCents ?? 0)), o.Currency);
    }
}
