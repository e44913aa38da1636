using Dispatch.Core.Orders;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Orders;

/// <summary>
/// A dispatcher's hand on the hand-over at the drop-off: unlock PIN entry after too many wrong PINs, or allow delivery
/// away from the drop-off. Each is one conditional UPDATE on the order row with an order_events row (the dispatcher as
/// actor, the reason in the note) in the same transaction.
/// </summary>
internal sealed partial class HandOverCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<HandOverCoordinator> logger)
{
    /// <summary>The order's hand-over state after a dispatcher's action.</summary>
    public sealed record HandOverState(Guid OrderId, string Number, OrderStatus Status, int PinTries, bool PinLocked, bool AnyPlaceAllowed, string Note);

    public async Task<Outcome<HandOverState>> UnlockPinAsync(Guid orderId, string actor, string reason, Audit.AuditActor audit, CancellationToken ct)
    {
        var max = options.Value.PinMaxWrongTries;
        return await ChangeAsync(orderId, actor, reason, audit, "order.unlock-pin", $"PIN entry unlocked by {actor}: {reason}",
            order => HandOverRules.IsLocked(order.PinTries, max)
                ? null
                : $"PIN entry of order {order.FormatNumber()} is not locked ({order.PinTries} wrong of {max} allowed); nothing to unlock.",
            q => q.Where(x => x.PinTries >= max),
            s => s.SetProperty(x => x.PinTries, 0).SetProperty(x => x.PinLockedAt, (DateTimeOffset?)null),
            ct);
    }

    public Task<Outcome<HandOverState>> AllowAnyPlaceAsync(Guid orderId, string actor, string reason, Audit.AuditActor audit, CancellationToken ct) =>
        ChangeAsync(orderId, actor, reason, audit, "order.allow-any-place", $"delivery away from the drop-off allowed by {actor}: {reason}",
            order => order.AnyPlaceAllowed ? $"Order {order.FormatNumber()} may already be delivered away from the drop-off." : null,
            q => q.Where(x => !x.AnyPlaceAllowed),
            s => s.SetProperty(x => x.AnyPlaceAllowed, true),
            ct);

    private async Task<Outcome<HandOverState>> ChangeAsync(Guid orderId, string actor, string reason, Audit.AuditActor audit, string action, string note,
        Func<OrderRecord, string?> refusal, Func<IQueryable<OrderRecord>, IQueryable<OrderRecord>> still,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<OrderRecord>> change, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(x => x.Id == orderId, ct);
        if (order is null) return Refused(orderId.ToString(), actor, Failure.NotFound($"Order {orderId} does not exist."));
        var number = order.FormatNumber();
        if (OrderStateMachine.IsTerminal(order.Status)) return Refused(number, actor, Failure.Conflict($"Order {number} is {order.Status}; there is no hand-over left to change."));
        if (refusal(order) is { } why) return Refused(number, actor, Failure.Conflict(why));

        var now = clock.GetUtcNow();
        if (note.Length > 500) note = note[..500];
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Conditional on the status read and on the state the action changes, so two dispatchers (or a delivery) racing it cannot both win.
        var rows = await still(db.Orders.Where(x => x.Id == orderId && x.Status == order.Status))
            .ExecuteUpdateAsync(s =>
            {
                change(s);
                s.SetProperty(x => x.Version, x => x.Version + 1);
            }, ct);
        if (rows == 0)
        {
            await tx.RollbackAsync(ct);
            return Refused(number, actor, Failure.Conflict($"Order {number} changed meanwhile; look at it again and retry."));
        }
        db.OrderEvents.Add(OrderEvents.Create(orderId, order.Status, now, actor, note: note));
        await db.SaveChangesAsync(ct);
        await Audit.AuditTrail.WriteAsync(db.Database, audit, action, $"order:{orderId}", now,
            new { pinTries = order.PinTries, anyPlaceAllowed = order.AnyPlaceAllowed }, new { reason }, ct);
        await tx.CommitAsync(ct);

        var after = await db.Orders.AsNoTracking().FirstAsync(x => x.Id == orderId, ct);
        LogChanged(logger, number, actor, reason);
        return new HandOverState(orderId, number, after.Status, after.PinTries, HandOverRules.IsLocked(after.PinTries, options.Value.PinMaxWrongTries),
            after.AnyPlaceAllowed, note);
    }

    private Failure Refused(string number, string actor, Failure failure)
    {
        LogRefused(logger, number, actor, failure.Detail);
        return failure;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number}: hand-over changed by {Actor}: {Reason}")]
    private static partial void LogChanged(ILogger logger, string number, string actor, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number}: hand-over change by {Actor} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string number, string actor, string reason);
}
