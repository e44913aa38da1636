using System.Threading.Channels;
using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Server.Fleet;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Orders;

/// <summary>
/// Records the milestones the location flush notices (left the pickup → InTransit; pre-arrival) in Postgres, with the
/// outbox rows by which the relay tells the customer. The flush only queues; this service does the database work one request at a time.
/// </summary>
internal sealed partial class MilestoneService(
    IDbContextFactory<DispatchDbContext> dbs,
    AssignmentBook assignments,
    TimeProvider clock,
    Common.ResilientLoop loops,
    ILogger<MilestoneService> logger) : BackgroundService
{
    private readonly Channel<(Guid OrderId, Guid CourierId, Milestone Milestone, LatLon At, int EtaSeconds)> _requests =
        Channel.CreateBounded<(Guid, Guid, Milestone, LatLon, int)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Request(Guid orderId, Guid courierId, Milestone milestone, LatLon at, int etaSeconds) =>
        _requests.Writer.TryWrite((orderId, courierId, milestone, at, etaSeconds));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        loops.RunAsync("milestones", "recording a milestone", _requests.Reader.WaitToReadAsync, RecordNextAsync, stoppingToken);

    private async ValueTask RecordNextAsync(CancellationToken stoppingToken)
    {
        if (!_requests.Reader.TryRead(out var r)) return;
        try
        {
            await RecordAsync(r.OrderId, r.CourierId, r.Milestone, r.At, r.EtaSeconds, stoppingToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or DbUpdateException)
        {
            LogFailed(logger, r.OrderId, r.Milestone, ex);
        }
    }

    private async Task RecordAsync(Guid orderId, Guid courierId, Milestone milestone, LatLon at, int etaSeconds, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var actor = $"courier:{courierId:N}";
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (milestone == Milestone.LeftPickup)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var head = await db.Orders.AsNoTracking().Where(o => o.Id == orderId)
                .Select(o => new OrderHead(o.Id, o.Number, o.MerchantId, o.Zone, o.Status, o.Version, o.CourierId)).FirstOrDefaultAsync(ct);
            if (head is null || head.CourierId != courierId || head.Status != OrderStatus.PickedUp) return;
            var moved = await OrderTransitions.MoveAsync(db, new OrderMove(head, OrderTrigger.StartTransit, actor, now) { Position = at, OnCourier = true }, ct);
            if (!moved) return;
            await tx.CommitAsync(ct);
            assignments.UpdateStatus(courierId, orderId, OrderStatus.InTransit);
            return;
        }

        // Pre-arrival is an event, not a status: recorded once per order whatever node noticed it.
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => new { o.Status, o.CourierId, o.Number, o.MerchantId }).FirstOrDefaultAsync(ct);
        if (order is null || order.CourierId != courierId || !OrderStateMachine.IsCarrying(order.Status)) return;
        if (await db.OrderEvents.AnyAsync(e => e.OrderId == orderId && e.Note == Milestones.ArrivingNote, ct)) return;
        db.OrderEvents.Add(OrderEvents.Create(orderId, order.Status, now, actor, at, Milestones.ArrivingNote));
        // With its outbox event in the same commit: the tracking page's notice (OrderEffects), the customer's "arriving"
        // message and the merchants' webhooks follow it.
        Outbox.OutboxWriter.Add(db, Outbox.OutboxKinds.OrderArriving, orderId, new Outbox.OrderArriving(orderId, order.Number, order.MerchantId, courierId, etaSeconds, now), now);
        await db.SaveChangesAsync(ct);
        LogArriving(logger, orderId, etaSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: courier arriving in about {EtaSeconds} s")]
    private static partial void LogArriving(ILogger logger, Guid orderId, int etaSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording milestone {Milestone} for order {OrderId} failed")]
    private static partial void LogFailed(ILogger logger, Guid orderId, Milestone milestone, Exception ex);
}
