using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Orders;

/// <summary>
/// A dispatcher marks an order failed after pickup (the goods cannot reach the customer). One transaction: the conditional
/// update of the order row on the status and version read, and the order_events row with the reason; then the courier is
/// told, the customer's page shows "Delivery failed", and the courier's load is released as a delivery releases it.
/// </summary>
internal sealed partial class FailCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    TimeProvider clock,
    IOptions<AuthOptions> auth,
    ILogger<FailCoordinator> logger)
{
    public async Task<Outcome<OrderStatus>> FailAsync(Guid orderId, string actor, string reason, Audit.AuditActor audit, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return Refused(orderId.ToString(), actor, Failure.NotFound($"Order {orderId} does not exist."));
        var number = order.FormatNumber();
        var transition = OrderStateMachine.Apply(order.Status, OrderTrigger.Fail);
        if (!transition.IsAllowed) return Refused(number, actor, Failure.Conflict($"Order {number}: {transition.Error}"));

        var now = clock.GetUtcNow();
        var trackingExpiry = now.AddMinutes(auth.Value.TrackingGraceMinutes);
        if (trackingExpiry > order.TrackingExpiresAt) trackingExpiry = order.TrackingExpiresAt;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // On the version read too: a delivery or a second dispatcher racing this cannot both win.
            var moved = await OrderTransitions.MoveAsync(db, new OrderMove(OrderHead.Of(order), OrderTrigger.Fail, actor, now)
            {
                Note = reason,
                OnVersion = true,
                Set = s => s.SetProperty(o => o.TrackingExpiresAt, trackingExpiry),
            }, ct);
            if (!moved)
            {
                await tx.RollbackAsync(ct);
                return Refused(number, actor, Failure.Conflict($"Order {number} changed while it was being marked failed; look at it again and retry."));
            }
            await Audit.AuditTrail.WriteAsync(db.Database, audit, "order.fail", $"order:{orderId}", now,
                new { status = order.Status }, new { status = OrderStatus.Failed, reason }, ct);
            await tx.CommitAsync(ct);
        }

        LogFailed(logger, number, actor, reason);
        return OrderStatus.Failed;
    }

    private Failure Refused(string number, string actor, Failure failure)
    {
        LogRefused(logger, number, actor, failure.Detail);
        return failure;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} marked failed by {Actor}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string number, string actor, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number}: marking failed by {Actor} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string number, string actor, string reason);
}
