using Dispatch.Core.Contracts;
using Dispatch.Core.Errands;
using Dispatch.Server.Common;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Errands;

/// <summary>
/// Multi-stop errands: the courier marks the stops between pickup and drop-off done, one by one. <see cref="StopRules"/>
/// decides; the new stops are written conditionally on the order's version with their order_events row (status unchanged)
/// in one transaction, so two taps racing on one stop record it once; the customer's tracking page is told by
/// <see cref="ErrandPushes"/>, from the <see cref="OutboxKinds.StopCompleted"/> row committed with the stop.
/// </summary>
internal sealed partial class StopCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    OnlineCouriers sessions,
    AssignmentBook assignments,
    TimeProvider clock,
    ILogger<StopCoordinator> logger)
{
    public async Task<Outcome<StopCompleted>> CompleteAsync(Guid courierId, Guid orderId, int stopIndex, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return Failure.NotFound($"Order {orderId} does not exist.");
        if (order.CourierId != courierId) return Failure.Forbidden($"Order {order.FormatNumber()} is not assigned to you.");

        var now = clock.GetUtcNow();
        var stops = OrderStops.Read(order);
        var decision = StopRules.Complete(order.FormatNumber(), order.Status, stops, stopIndex, now);
        if (!decision.IsAllowed) return Refused(order, courierId, stopIndex, decision.Error!);

        var after = decision.After!;
        var position = sessions.Find(courierId)?.LastFix?.Position;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var json = OrderStops.Write(after);
            var rows = await db.Orders.Where(o => o.Id == orderId && o.Version == order.Version && o.CourierId == courierId)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Stops, json).SetProperty(o => o.Version, o => o.Version + 1), ct);
            if (rows == 0)
            {
                await tx.RollbackAsync(ct);
                // Someone changed the order in between (often the same stop tapped twice): say what the rules say now.
                var current = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
                StopDecision? again = current is null || current.CourierId != courierId ? null : StopRules.Complete(current.FormatNumber(), current.Status, OrderStops.Read(current), stopIndex, now);
                return Refused(order, courierId, stopIndex, again is { IsAllowed: false } refused
                    ? refused.Error!
                    : $"Order {order.FormatNumber()} changed while you marked the stop; refresh and try again.");
            }
            db.OrderEvents.Add(OrderEvents.Create(orderId, order.Status, now, $"courier:{courierId:N}", position, decision.Note));
            OutboxWriter.Add(db, OutboxKinds.StopCompleted, orderId, new StopChange(orderId, stopIndex, now), now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        assignments.SetVia(courierId, orderId, StopRules.Remaining(after));
        var done = after.Count(s => s.IsDone);
        var completed = new StopCompleted(orderId, order.FormatNumber(), OrderStops.View(after[stopIndex], stopIndex), done, after.Count, decision.Note!, now);
        LogDone(logger, order.FormatNumber(), courierId, stopIndex + 1, after.Count);
        return completed;
    }

    private Failure Refused(OrderRecord order, Guid courierId, int stopIndex, string reason)
    {
        LogRefused(logger, order.FormatNumber(), courierId, (long)stopIndex + 1, reason);
        return Failure.Conflict(reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number}: courier {CourierId} did stop {Stop} of {Total}")]
    private static partial void LogDone(ILogger logger, string number, Guid courierId, int stop, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Number}: courier {CourierId} stop {Stop} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string number, Guid courierId, long stop, string reason);
}
