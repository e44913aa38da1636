using Dispatch.Core.Orders;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Orders a courier holds before pickup whose courier went offline or silent past <see cref="DispatchOptions.AbandonedAfterSeconds"/>
/// (their last fix in Redis is older, or there is none, once Redis has been up that long): each goes back to dispatching through the transition path
/// (<see cref="OrderTrigger.Abandon"/>, conditional on the version and courier read, so a courier who comes back and steps
/// the order first wins), the courier loses it from their load and is told (a <see cref="OutboxKinds.OrderReassigned"/> row
/// in the move's transaction, pushed by <see cref="OfferPushes"/>), and it is offered again.
/// </summary>
internal sealed partial class AbandonedOrders(
    IDbContextFactory<DispatchDbContext> dbs,
    FleetReader locator,
    Redis.SubscriptionsRestored redisReturns,
    Zones.ZoneLeadership leadership,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<AbandonedOrders> logger)
{
    /// <summary>Releases every abandoned order; returns their ids (the caller dispatches them).</summary>
    public async Task<List<Guid>> ReleaseAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Only the zones this node dispatches; each move is fenced by the zone's lease.
        var led = leadership.Led();
        var held = await db.Orders.AsNoTracking()
            .Where(x => x.IsOpen && (x.Status == OrderStatus.Accepted || x.Status == OrderStatus.ArrivedAtPickup) && x.CourierId != null && led.Contains(x.Zone))
            .OrderBy(x => x.CreatedAt).Take(RecoveryCoordinator.MaxPerSweep)
            .Select(x => new OrderHead(x.Id, x.Number, x.MerchantId, x.Zone, x.Status, x.Version, x.CourierId)).ToListAsync(ct);
        if (held.Count == 0) return [];
        var couriers = held.Select(o => o.CourierId!.Value).Distinct().ToList();
        var snapshots = await locator.GetManyAsync(couriers);
        var lastFix = couriers.Zip(snapshots).ToDictionary(p => p.First, p => p.Second?.At);
        var now = clock.GetUtcNow();
        var limit = TimeSpan.FromSeconds(options.Value.AbandonedAfterSeconds);
        // A Redis back from a crash may have come back empty: a courier's position returns with their node's resync or their
        // next fix, so "no position" means silence only once Redis has been up past the limit (this node's view of it).
        var positionsVouched = now - redisReturns.UpSince > limit;
        var released = new List<Guid>();
        foreach (var order in held)
        {
            var courier = order.CourierId!.Value;
            var seen = lastFix[courier];
            if (seen is { } at && now - at <= limit) continue;
            if (seen is null && !positionsVouched) continue;
            var note = seen is { } last
                ? $"recovered by the sweep: courier {courier:N} silent since {last:HH:mm:ss} UTC, over {limit.TotalMinutes:0.#} min before pickup"
                : $"recovered by the sweep: courier {courier:N} has no position, before pickup";
            if (leadership.FenceFor(order.Zone) is not { } fence) continue;
            if (!await ReleaseOneAsync(db, order, RecoveryCoordinator.Actor, note, "You were offline too long before pickup, so the order went to another courier.", now, ct, fence)) continue;
            LogReleased(logger, order.FormatNumber(), courier, seen);
            released.Add(order.Id);
        }
        return released;
    }

    /// <summary>
    /// Every order <paramref name="courierId"/> holds before pickup goes back to dispatching (a suspended courier); returns
    /// their ids (the caller dispatches them). Orders picked up stay: the goods are with the courier.
    /// </summary>
    public async Task<List<Guid>> ReleaseHeldByAsync(Guid courierId, string actor, string note, string toldCourier, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var held = await db.Orders.AsNoTracking()
            .Where(x => x.IsOpen && (x.Status == OrderStatus.Accepted || x.Status == OrderStatus.ArrivedAtPickup) && x.CourierId == courierId)
            .Select(x => new OrderHead(x.Id, x.Number, x.MerchantId, x.Zone, x.Status, x.Version, x.CourierId)).ToListAsync(ct);
        var released = new List<Guid>();
        foreach (var order in held)
        {
            if (await ReleaseOneAsync(db, order, actor, note, toldCourier, clock.GetUtcNow(), ct)) released.Add(order.Id);
        }
        return released;
    }

    // Conditional on the version and courier read: a courier who stepped the order meanwhile keeps it. The sweep's moves are
    // fenced by the zone's lease; an admin's suspension is not a zone's write.
    private static async Task<bool> ReleaseOneAsync(DispatchDbContext db, OrderHead order, string actor, string note, string toldCourier, DateTimeOffset now,
        CancellationToken ct, Zones.ZoneFence? fence = null)
    {
        var courier = order.CourierId!.Value;
        bool moved;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            moved = (fence is null || await fence.HoldAsync(db, ct)) && await OrderTransitions.MoveAsync(db, new OrderMove(order, OrderTrigger.Abandon, actor, now)
            {
                Note = note,
                OnVersion = true,
                OnCourier = true,
                Set = s => s.SetProperty(o => o.CourierId, (Guid?)null),
            }, ct);
            if (moved)
            {
                // The courier's notice commits with the move: a crash after the commit cannot lose it, nor a Redis outage fail the sweep.
                OutboxWriter.Add(db, OutboxKinds.OrderReassigned, order.Id, new OrderReassignment(order.Id, order.Number, courier, toldCourier), now);
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        // The courier's load and the book of the node holding them follow from the outbox (Couriers/CourierLoadEffects).
        return moved;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery sweep: order {Number} went back to dispatch; its courier {CourierId} was silent before pickup (last fix {LastFix})")]
    private static partial void LogReleased(ILogger logger, string number, Guid courierId, DateTimeOffset? lastFix);
}
