using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Finds orders no process owns and moves them on: an order Offered with no pending offer (an offer answered by code that
/// released the order in a later transaction, and a crash between the two) goes back to Dispatching through the same release
/// as an expiry, with a timeline row, and is dispatched again. Paid and Dispatching orders need nothing here: the dispatch
/// loop's retry (and each batch zone's round) already takes every one of them. Safe on several nodes at once: each release
/// is conditional on the status and version read, so one node wins and the others skip. Orders held before pickup by a courier
/// gone silent go back to dispatch too (<see cref="AbandonedOrders"/>).
/// </summary>
internal sealed partial class RecoveryCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    OfferRounds dispatch,
    AbandonedOrders abandoned,
    Zones.ZoneLeadership leadership,
    TimeProvider clock,
    ILogger<RecoveryCoordinator> logger)
{
    public const string Actor = "system:recovery";

    public const string Note = "recovered by the sweep: offered with no pending offer";

    /// <summary>A sweep takes at most this many stranded orders, oldest first; the next sweep takes the rest.</summary>
    public const int MaxPerSweep = 500;

    /// <summary>Releases every stranded order (and offers it again); returns how many this node released.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Only the zones this node dispatches; each release is fenced by the zone's lease.
        var led = leadership.Led();
        // An order whose offer is still pending, even past its lease, belongs to the expiry loop, not here.
        var stranded = await db.Orders.AsNoTracking()
            .Where(x => x.IsOpen && x.Status == OrderStatus.Offered && led.Contains(x.Zone) && !db.Offers.Any(f => f.OrderId == x.Id && f.Status == OfferStatus.Pending))
            .OrderBy(x => x.CreatedAt).Take(MaxPerSweep).Select(x => new OrderHead(x.Id, x.Number, x.MerchantId, x.Zone, x.Status, x.Version, x.CourierId)).ToListAsync(ct);
        var released = 0;
        foreach (var order in stranded)
        {
            if (leadership.FenceFor(order.Zone) is not { } fence) continue;
            bool moved;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                moved = await fence.HoldAsync(db, ct) && await OfferAnswerWriter.ReleaseOrderAsync(db, order, Actor, Note, clock.GetUtcNow(), ct);
                await tx.CommitAsync(ct);
            }
            if (!moved) continue;
            released++;
            LogRecovered(logger, order.Id);
            await dispatch.DispatchAsync(order.Id, ct);
        }
        foreach (var id in await abandoned.ReleaseAsync(ct))
        {
            released++;
            await dispatch.DispatchAsync(id, ct);
        }
        return released;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery sweep: order {OrderId} was Offered with no pending offer; moved back to Dispatching")]
    private static partial void LogRecovered(ILogger logger, Guid orderId);
}
