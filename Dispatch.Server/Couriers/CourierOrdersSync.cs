using Dispatch.Core.Orders;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Dispatch.Server.Redis;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Dispatch.Server.Couriers;

/// <summary>
/// A courier's orders changed on a node they are not connected to (a cancel, a failure or a reassignment over HTTP, the
/// abandoned-order sweep on the zone's dispatcher): that node publishes the courier's id (<see cref="FleetWriter"/>), and the node holding the courier's
/// session reloads their orders in progress and their load from Postgres, as when they go online. So its position pushes
/// stop for an order taken away, start for one given, and Redis shows the right load.
/// </summary>
internal sealed partial class CourierOrdersSync(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    OnlineCouriers sessions,
    IDbContextFactory<DispatchDbContext> dbs,
    AssignmentBook assignments,
    FleetWriter writer,
    CourierChanges changes,
    Common.ResilientLoop loops,
    ILogger<CourierOrdersSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ChannelMessageQueue queue;
        try
        {
            queue = await ChannelSubscriber.SubscribeAsync(redis, keys.CourierOrders(), logger, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        Guid? next = null;
        try
        {
            // A reload that fails is dropped (the courier's next going online reloads them anyway); the loop is counted,
            // logged and backs off, and never stops the node.
            await loops.RunAsync("courier-orders", "reloading a courier's orders changed on another node", async ct =>
            {
                while (true)
                {
                    var message = await queue.ReadAsync(ct);
                    if (Guid.TryParseExact(message.Message.ToString(), "N", out var courierId))
                    {
                        next = courierId;
                        return true;
                    }
                }
            }, async ct =>
            {
                if (next is not { } courierId) return;
                next = null;
                await ReloadAsync(courierId, ct);
            }, stoppingToken);
        }
        finally
        {
            await queue.UnsubscribeAsync();
        }
    }

    /// <summary>Reloads one courier's orders in progress and load, if their session is on this node (also after a Redis outage, Resync/).</summary>
    public async Task ReloadAsync(Guid courierId, CancellationToken ct)
    {
        // Every node hears it; only the one holding the courier's session has anything to reload.
        var session = sessions.Find(courierId);
        if (session is null) return;
        List<OrderRecord> active;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            active = await db.Orders.AsNoTracking()
                .Where(o => o.CourierId == courierId && (o.Status == OrderStatus.Accepted || o.Status == OrderStatus.ArrivedAtPickup
                    || o.Status == OrderStatus.PickedUp || o.Status == OrderStatus.InTransit || o.Status == OrderStatus.ArrivedAtDropoff))
                .ToListAsync(ct);
        }
        assignments.Reconcile(courierId, [.. active.Select(o =>
            new Assignment(o.Id, OrderEvents.ToLatLon(o.Pickup), OrderEvents.ToLatLon(o.Dropoff), o.Status, Via: OrderStops.Remaining(o)))]);
        Dispatch.Core.Couriers.CourierSnapshot? snapshot;
        lock (session.Sync)
        {
            session.ActiveOrders = active.Count;
            session.CarryingOrders = active.Count(o => OrderStateMachine.IsCarrying(o.Status));
            snapshot = session.Online ? session.ToSnapshot() : null;
        }
        if (snapshot is not null)
        {
            await writer.SaveAsync(snapshot);
            changes.Raise(snapshot);
        }
        LogReloaded(logger, courierId, active.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId}: orders changed on another node; reloaded {Count} order(s) in progress")]
    private static partial void LogReloaded(ILogger logger, Guid courierId, int count);
}
