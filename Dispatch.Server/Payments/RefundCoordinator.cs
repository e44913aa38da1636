using Dispatch.Core.Payments;
using Dispatch.Server.Common;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Payments;

/// <summary>
/// Gives money back. A refund row is asked for by <see cref="RefundConsumer"/> (a paid order cancelled or failed) or a
/// dispatcher; <see cref="RefundDueAsync"/> claims due rows (FOR UPDATE SKIP LOCKED, with a lease), decides the amount with
/// <see cref="RefundRules"/> under a per-order advisory lock (so two refunds of one order never both take what is left),
/// calls the order's provider with the row's id as the refund number, and records the result with the order's money
/// columns and a <see cref="OutboxKinds.PaymentRefunded"/> event (the customer is told) in one transaction.
/// </summary>
internal sealed partial class RefundCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    NpgsqlDataSource dataSource,
    PaymentProviders providers,
    IOptions<PaymentOptions> options,
    IOptions<DispatchOptions> dispatchOptions,
    IOptions<Ledger.LedgerOptions> ledgerOptions,
    TimeProvider clock,
    ILogger<RefundCoordinator> logger)
{
    /// <summary>A claimed refund is someone else's to retry after this long.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Raised whenever a refund is queued, so this node's loop takes it at once.</summary>
    public event Action? Queued;

    /// <summary>A dispatcher gives back <paramref name="cents"/> of a paid order; the request and its audit row commit together.</summary>
    public async Task<Outcome<Guid>> RequestAsync(Guid orderId, int? cents, string? note, string actor, Audit.AuditActor audit, CancellationToken ct)
    {
        var text = note?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 300) return Failure.BadRequest("reason", "Give a reason for the refund (1–300 characters); the order's history shows it.");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return Failure.NotFound($"Order {orderId} does not exist.");
        if (order.PaymentState is not (PaymentState.Paid or PaymentState.PartlyRefunded) || order.PaidCents is not { } paid)
            return Failure.Conflict($"Order {order.FormatNumber()} is not paid ({order.PaymentState}); there is nothing to refund.");
        var pending = await db.Refunds.AsNoTracking().Where(r => r.OrderId == orderId && r.State == RefundState.Pending).SumAsync(r => r.RequestedCents ?? 0, ct);
        var (_, error) = RefundRules.Decide(paid, order.RefundedCents + pending, RefundReason.Manual, 0, cents);
        if (error is not null) return Failure.BadRequest("amountCents", error);
        var now = clock.GetUtcNow();
        var refund = new RefundRecord
        {
            Id = Guid.CreateVersion7(), OrderId = orderId, Reason = RefundReason.Manual, RequestedCents = cents, Actor = actor, Note = text,
            State = RefundState.Pending, DueAt = now, CreatedAt = now,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Refunds.Add(refund);
            await db.SaveChangesAsync(ct);
            await Audit.AuditTrail.WriteAsync(db.Database, audit, "order.refund", $"order:{orderId}", now,
                new { paidCents = paid, refundedCents = order.RefundedCents, pendingCents = pending },
                new { refundId = refund.Id, amountCents = cents, reason = text }, ct);
            await tx.CommitAsync(ct);
        }
        Queued?.Invoke();
        return refund.Id;
    }

    /// <summary>Wakes this node's loop (rows were queued by the outbox consumer).</summary>
    public void Wake() => Queued?.Invoke();

    /// <summary>Claims due refunds and does them one by one; returns how many were claimed.</summary>
    public async Task<int> RefundDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var claimed = new List<(Guid Id, int Attempts)>();
        await using (var claim = dataSource.CreateCommand("""
            update payment_refunds r set due_at = $2, attempts = r.attempts + 1
            where r.id in (select id from payment_refunds where state = 0 and due_at <= $1 order by due_at limit 20 for update skip locked)
            returning r.id, r.attempts
            """))
        {
            claim.Parameters.Add(new NpgsqlParameter { Value = now });
            claim.Parameters.Add(new NpgsqlParameter { Value = now + Lease });
            await using var reader = await claim.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) claimed.Add((reader.GetGuid(0), reader.GetInt32(1)));
        }
        foreach (var (id, attempts) in claimed) await RefundOneAsync(id, attempts, ct);
        return claimed.Count;
    }

    private async Task RefundOneAsync(Guid refundId, int attempts, CancellationToken ct)
    {
        var o = options.Value;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var refund = await db.Refunds.FirstAsync(r => r.Id == refundId, ct);
        // One refund of an order at a time, on any node: the amount left is read and written under this lock.
        var locked = await db.Database.SqlQuery<bool>($"select pg_try_advisory_xact_lock(hashtextextended({refund.OrderId.ToString()}, 7)) as \"Value\"").SingleAsync(ct);
        if (!locked) return; // another refund of the order is in flight; this one comes back when its lease ends
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(x => x.Id == refund.OrderId, ct);
        var now = clock.GetUtcNow();
        if (order is null || order.PaidCents is not { } paid || order.PaymentState is not (PaymentState.Paid or PaymentState.PartlyRefunded))
        {
            await FinishAsync(db, tx, refund, RefundState.NothingOwed, 0, null, null, "the order was not paid", ct);
            return;
        }
        var (cents, error) = RefundRules.Decide(paid, order.RefundedCents, refund.Reason, o.KeepPercentAfterPickup, refund.RequestedCents);
        var kept = error is null ? RefundRules.KeptAfterFailure(paid, order.RefundedCents, refund.Reason, cents) : 0;
        if (error is not null || cents == 0)
        {
            await Ledger.OrderBookings.KeptAsync(db, order, kept, dispatchOptions.Value.Currency, refund.Actor, now, ct);
            await FinishAsync(db, tx, refund, error is null ? RefundState.NothingOwed : RefundState.Failed, 0, null, null, error ?? "nothing left to refund", ct);
            return;
        }
        var currency = order.Currency ?? "";
        string? providerRef = null;
        // The generic callback's merchant took the money itself: the refund is recorded here and given back by the merchant.
        if (order.PaymentMethod != PaymentCoordinator.Callback)
        {
            var provider = providers.Find(order.PaymentMethod);
            var result = provider is null
                ? new ProviderError($"The payment provider {order.PaymentMethod} is not switched on.")
                : await provider.RefundAsync(new RefundOrder(refund.Id, order.PaymentId ?? Guid.Empty, order.PaymentRef, cents, paid, currency, refund.Note.Length > 0 ? refund.Note : refund.Reason.ToString()), ct);
            if (!result.Ok)
            {
                if (attempts >= o.RefundAttempts)
                {
                    await FinishAsync(db, tx, refund, RefundState.Failed, 0, order.PaymentMethod, null, result.Error, ct);
                    LogGaveUp(logger, order.FormatNumber(), attempts, result.Error!);
                    return;
                }
                refund.DueAt = now + TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, attempts - 1)));
                refund.Error = Clip(result.Error);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                LogRetry(logger, order.FormatNumber(), attempts, result.Error!);
                return;
            }
            providerRef = result.Value;
        }

        await db.Orders.Where(x => x.Id == order.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.RefundedCents, x => x.RefundedCents + cents)
            .SetProperty(x => x.PaymentState, x => x.RefundedCents + cents >= x.PaidCents ? PaymentState.Refunded : PaymentState.PartlyRefunded)
            .SetProperty(x => x.RefundedAt, now), ct);
        var total = order.RefundedCents + cents;
        OutboxWriter.Add(db, OutboxKinds.PaymentRefunded, order.Id,
            new PaymentRefunded(order.Id, order.Number, order.MerchantId, refund.Id, cents, total, currency, PaymentRules.AfterRefund(paid, total), now), now);
        await Ledger.OrderBookings.RefundedAsync(db, refund.Id, order, cents, dispatchOptions.Value.Currency, ledgerOptions.Value.ReverseFeeOnFullRefund,
            refund.Actor, now, ct);
        await Ledger.OrderBookings.KeptAsync(db, order, kept, dispatchOptions.Value.Currency, refund.Actor, now, ct);
        await FinishAsync(db, tx, refund, RefundState.Done, cents, order.PaymentMethod, providerRef, null, ct);
        LogRefunded(logger, order.FormatNumber(), cents, refund.Reason, order.PaymentMethod ?? "");
    }

    private async Task FinishAsync(DispatchDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, RefundRecord refund, RefundState state,
        int cents, string? provider, string? providerRef, string? error, CancellationToken ct)
    {
        refund.State = state;
        refund.AmountCents = cents;
        refund.Provider = provider;
        refund.ProviderRef = providerRef is { Length: > 64 } ? providerRef[..64] : providerRef;
        refund.Error = Clip(error);
        refund.DoneAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static string? Clip(string? text) => text is { Length: > 300 } ? text[..300] : text;

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number}: {Cents} cents refunded ({Reason}) through {Provider}")]
    private static partial void LogRefunded(ILogger logger, string number, int cents, RefundReason reason, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund of order {Number} failed on try {Attempts}, retried later: {Error}")]
    private static partial void LogRetry(ILogger logger, string number, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refund of order {Number} given up after {Attempts} tries: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string number, int attempts, string error);
}
