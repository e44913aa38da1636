using Dispatch.Core.Contracts;
using Dispatch.Core.Errands;
using Dispatch.Server.Common;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Errands;

/// <summary>
/// Buy-for-me receipts: the courier submits one after pickup, the customer decides on one over the cap.
/// <see cref="ReceiptRules"/> decides; every change is conditional on the order's version and writes its order_events rows
/// in the same transaction, with the <see cref="OutboxKinds.ReceiptChanged"/> row by which <see cref="ErrandPushes"/> tells the
/// tracking page (and, of the customer's decision, the courier): a push after the commit could be lost to a crash, or fail
/// with Redis away and report a committed change as not made.
/// </summary>
internal sealed partial class ReceiptCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    OnlineCouriers sessions,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<ReceiptCoordinator> logger)
{
    /// <summary>Actor of the automatic approval of a receipt within the cap.</summary>
    public const string PriceCapActor = "system:price-cap";

    public async Task<Outcome<ReceiptChanged>> SubmitAsync(Guid courierId, Guid orderId, ReceiptSubmission? receipt, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return Failure.NotFound($"Order {orderId} does not exist.");
        if (order.CourierId != courierId) return Failure.Forbidden($"Order {order.FormatNumber()} is not assigned to you.");
        if (receipt is null) return Failure.BadRequest("receipt", "Send the receipt: amountCents and photoRef.");

        var decision = ReceiptRules.Submit(order.FormatNumber(), order.Status, order.BuyForMe, receipt.AmountCents, receipt.PhotoRef?.Trim());
        if (!decision.IsAllowed)
        {
            LogRefused(logger, order.FormatNumber(), $"courier:{courierId:N}", "submit", decision.Error!);
            return Failure.Conflict(decision.Error!);
        }
        var after = decision.After!.Value;
        var now = clock.GetUtcNow();
        var courierActor = $"courier:{courierId:N}";
        var position = sessions.Find(courierId)?.LastFix?.Position;
        List<OrderEventRecord> events = decision.AutoApproved
            ?
            [
                OrderEvents.Create(orderId, order.Status, now, courierActor, position, $"receipt {ReceiptRules.Format(receipt.AmountCents)} submitted"),
                OrderEvents.Create(orderId, order.Status, now, PriceCapActor, note: ReceiptRules.Note(after.State, receipt.AmountCents, after.PriceCapCents, automatic: true)),
            ]
            : [OrderEvents.Create(orderId, order.Status, now, courierActor, position, ReceiptRules.Note(after.State, receipt.AmountCents, after.PriceCapCents, automatic: false))];

        var photo = receipt.PhotoRef!.Trim();
        var saved = await SaveAsync(db, order, after, photo, events, new ReceiptChange(orderId, TellCourierId: null, now), ct);
        if (!saved) return Failure.Conflict($"Order {order.FormatNumber()} changed while you sent the receipt; refresh and send it again.");

        order.ReceiptState = after.State;
        order.ReceiptCents = after.ReceiptCents;
        order.ApprovedCents = after.ApprovedCents;
        order.ReceiptPhotoRef = photo;
        var change = new ReceiptChanged(orderId, order.FormatNumber(), JobFactory.BuyForMeOf(order, options.Value.Currency)!, now);
        LogReceipt(logger, order.FormatNumber(), courierActor, receipt.AmountCents, after.PriceCapCents, after.State);
        return change;
    }

    /// <summary>The customer (holder of the order's tracking link) approves or rejects a receipt over the cap.</summary>
    public async Task<Outcome<ReceiptChanged>> DecideAsync(Guid orderId, bool approve, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return Failure.NotFound($"Order {orderId} does not exist.");
        var decision = ReceiptRules.Decide(order.FormatNumber(), order.Status, order.BuyForMe, approve);
        if (!decision.IsAllowed)
        {
            LogRefused(logger, order.FormatNumber(), OrderEvents.CustomerLinkActor, approve ? "approve" : "reject", decision.Error!);
            return Failure.Conflict(decision.Error!);
        }
        var after = decision.After!.Value;
        var now = clock.GetUtcNow();
        var note = ReceiptRules.Note(after.State, after.ReceiptCents ?? 0, after.PriceCapCents, automatic: false);
        var saved = await SaveAsync(db, order, after, order.ReceiptPhotoRef, [OrderEvents.Create(orderId, order.Status, now, OrderEvents.CustomerLinkActor, note: note)],
            new ReceiptChange(orderId, order.CourierId, now), ct);
        if (!saved) return Failure.Conflict($"Order {order.FormatNumber()} changed in the meantime; look at the receipt again.");

        order.ReceiptState = after.State;
        order.ApprovedCents = after.ApprovedCents;
        var change = new ReceiptChanged(orderId, order.FormatNumber(), JobFactory.BuyForMeOf(order, options.Value.Currency)!, now);
        LogReceipt(logger, order.FormatNumber(), OrderEvents.CustomerLinkActor, after.ReceiptCents ?? 0, after.PriceCapCents, after.State);
        return change;
    }

    /// <summary>Writes the errand's new state if the order is still the version read, with its events and its push's outbox row, in one transaction.</summary>
    private static async Task<bool> SaveAsync(DispatchDbContext db, OrderRecord order, BuyForMe after, string? photo, List<OrderEventRecord> events,
        ReceiptChange push, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.Orders.Where(o => o.Id == order.Id && o.Version == order.Version)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ReceiptState, after.State).SetProperty(o => o.ReceiptCents, after.ReceiptCents)
                .SetProperty(o => o.ApprovedCents, after.ApprovedCents).SetProperty(o => o.ReceiptPhotoRef, photo)
                .SetProperty(o => o.Version, o => o.Version + 1), ct);
        if (rows == 0)
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        db.OrderEvents.AddRange(events);
        OutboxWriter.Add(db, OutboxKinds.ReceiptChanged, order.Id, push, push.At);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number}: receipt {AmountCents} cents (cap {CapCents}) by {Actor} is now {State}")]
    private static partial void LogReceipt(ILogger logger, string number, string actor, int amountCents, int capCents, ReceiptState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Number}: receipt {Step} by {Actor} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string number, string actor, string step, string reason);
}
