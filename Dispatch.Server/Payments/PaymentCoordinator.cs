using Dispatch.Core.Orders;
using Dispatch.Core.Payments;
using Dispatch.Server.Common;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Payments;

/// <summary>
/// Starts payments at a provider and applies what providers say: a notification that matches the order's price moves it
/// Placed → Paid (with its payment columns, in one transition) and dispatch starts; a failure marks the payment failed and
/// leaves the order Placed; a mismatch is recorded, leaves the order unpaid, and raises the board's alert. Every try and
/// every notification is a row in payments.
/// </summary>
internal sealed partial class PaymentCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    PaymentProviders providers,
    OfferRounds dispatch,
    RefundCoordinator refunds,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<DispatchOptions> dispatchOptions,
    ILogger<PaymentCoordinator> logger)
{
    /// <summary>The generic signed callback's provider name.</summary>
    public const string Callback = "callback";

    /// <summary>Starts a payment of the order's price at <paramref name="request"/>'s provider.</summary>
    public async Task<Outcome<StartedPayment>> StartAsync(Guid orderId, string? merchantScope, StartPaymentRequest request, string? payerIp, CancellationToken ct)
    {
        var provider = providers.Find(request.Provider);
        if (provider is null)
            return Failure.BadRequest("provider", $"Choose a payment provider this server has switched on: {string.Join(", ", providers.Names.Order(StringComparer.Ordinal))}.");
        if (request.Channel is { Length: > 16 } || request.Payer is { Length: > 128 })
            return Failure.BadRequest(request.Channel is { Length: > 16 } ? "channel" : "payer", "channel is at most 16 characters and payer at most 128.");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null || (merchantScope is not null && order.MerchantId != merchantScope)) return Failure.NotFound($"Order {orderId} does not exist.");
        if (order.Status != OrderStatus.Placed) return Failure.Conflict($"Order {order.FormatNumber()} is {order.Status}; only a Placed order can be paid.");
        if (order.PriceCents is not { } cents || order.Currency is not { } currency)
            return Failure.Conflict($"Order {order.FormatNumber()} has no price (it was created without deliveryFeeCents or a quote); its merchant collects the money and confirms through /api/payments/callback.");
        if (cents == 0) return Failure.Conflict($"Order {order.FormatNumber()} costs nothing; confirm it through /api/payments/callback.");

        var paymentId = Guid.CreateVersion7();
        var started = await provider.StartAsync(new PaymentOrder(paymentId, order.FormatNumber(), cents, currency, $"Errand {order.FormatNumber()}", request.Channel, request.Payer, payerIp), ct);
        db.Payments.Add(new PaymentRecord
        {
            Id = paymentId, OrderId = orderId, Kind = PaymentRecordKinds.Start, Provider = provider.Name,
            Outcome = started.Ok ? PaymentOutcomes.Started : PaymentOutcomes.Refused, AmountCents = cents, Currency = currency,
            ProviderRef = Clip(started.Value?.ProviderRef, 64), Detail = Clip(started.Error ?? request.Channel ?? "", 500)!, At = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        if (!started.Ok)
        {
            LogStartRefused(logger, order.FormatNumber(), provider.Name, started.Error!);
            return new Failure(StatusCodes.Status502BadGateway, "Payment provider refused", started.Error!);
        }
        LogStarted(logger, order.FormatNumber(), provider.Name, cents, currency);
        return new StartedPayment(paymentId, orderId, provider.Name, cents, currency, started.Value!.ClientParameters);
    }

    /// <summary>A verified provider notification: finds its try, then applies it to the order.</summary>
    public async Task<Outcome<PaymentState>> ApplyNoticeAsync(string provider, PaymentNotice notice, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var start = await db.Payments.AsNoTracking()
            .FirstOrDefaultAsync(p => p.Id == notice.PaymentId && p.Kind == PaymentRecordKinds.Start && p.Provider == provider, ct);
        if (start is null) return Failure.NotFound($"Payment {notice.PaymentId:N} was not started at {provider} by this server.");
        return await ApplyAsync(db, start.OrderId, provider, notice.PaymentId, notice.Status, notice.Cents, notice.Currency, notice.ProviderRef, notice.Detail, ct);
    }

    /// <summary>The generic signed callback: the merchant says the order was paid (or not), with the amount in cents and currency.</summary>
    public async Task<Outcome<PaymentState>> ApplyCallbackAsync(Guid orderId, NoticeStatus status, long? cents, string? currency, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await ApplyAsync(db, orderId, Callback, null, status, cents, currency, null, $"callback {status}", ct);
    }

    private async Task<Outcome<PaymentState>> ApplyAsync(DispatchDbContext db, Guid orderId, string provider, Guid? paymentId, NoticeStatus status,
        long? cents, string? currency, string? providerRef, string detail, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return Failure.NotFound($"Order {orderId} does not exist.");
        var now = clock.GetUtcNow();
        PaymentRecord Row(string outcome, string why) => new()
        {
            Id = Guid.CreateVersion7(), OrderId = orderId, PaymentId = paymentId, Kind = PaymentRecordKinds.Notice, Provider = provider, Outcome = outcome,
            AmountCents = cents, Currency = Clip(currency, 3), ProviderRef = Clip(providerRef, 64), Detail = Clip(why, 500)!, At = now,
        };

        if (status == NoticeStatus.Waiting)
        {
            db.Payments.Add(Row(PaymentOutcomes.Waiting, detail));
            await db.SaveChangesAsync(ct);
            return order.PaymentState;
        }
        if (order.Status is OrderStatus.Cancelled && status == NoticeStatus.Paid && RefundsLatePayment(provider, order, cents, currency))
            return await TakeLatePaymentAsync(db, order, provider, paymentId, cents, currency, providerRef, detail, ct);
        if (order.Status != OrderStatus.Placed)
        {
            db.Payments.Add(Row(PaymentOutcomes.Late, $"{detail}; the order is {order.Status}"));
            await db.SaveChangesAsync(ct);
            if (order.Status is OrderStatus.Cancelled && status == NoticeStatus.Paid)
            {
                LogLate(logger, order.FormatNumber(), provider);
                return Failure.Conflict(OrderStateMachine.Apply(order.Status, OrderTrigger.Pay).Error!);
            }
            return order.PaymentState; // a repeated notification: already paid, nothing changes
        }
        if (status == NoticeStatus.Failed)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Payments.Add(Row(PaymentOutcomes.Failed, detail));
            await db.SaveChangesAsync(ct);
            await db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Placed && o.PaymentState != PaymentState.Paid)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.PaymentState, PaymentState.Failed).SetProperty(o => o.PaymentFailedAt, now), ct);
            await tx.CommitAsync(ct);
            LogFailed(logger, order.FormatNumber(), provider, detail);
            return PaymentState.Failed;
        }

        var check = PaymentRules.Check(order.PriceCents, order.Currency, cents, currency);
        if (!check.Matches)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Payments.Add(Row(PaymentOutcomes.Mismatch, check.Reason!));
            await db.SaveChangesAsync(ct);
            var alert = Clip(check.Reason, 300);
            await db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Placed)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.PaymentAlertAt, now).SetProperty(o => o.PaymentAlert, alert), ct);
            await tx.CommitAsync(ct);
            LogMismatch(logger, order.FormatNumber(), provider, check.Reason!);
            return new Failure(StatusCodes.Status422UnprocessableEntity, "Payment does not match the order", check.Reason!, check.Field);
        }

        bool moved;
        var paidCents = (int?)cents ?? order.PriceCents;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Payments.Add(Row(PaymentOutcomes.Paid, detail));
            moved = await OrderTransitions.MoveAsync(db, new OrderMove(OrderHead.Of(order), OrderTrigger.Pay, "payment", now)
            {
                Set = s => s.SetProperty(o => o.PaymentState, PaymentState.Paid).SetProperty(o => o.PaidAt, now).SetProperty(o => o.PaidCents, paidCents)
                    .SetProperty(o => o.PaymentMethod, provider).SetProperty(o => o.PaymentId, paymentId).SetProperty(o => o.PaymentRef, Clip(providerRef, 64))
                    .SetProperty(o => o.PaymentAlertAt, (DateTimeOffset?)null).SetProperty(o => o.PaymentAlert, (string?)null),
            }, ct);
            if (moved)
            {
                await Ledger.OrderBookings.PaidAsync(db, order, paidCents, dispatchOptions.Value.Currency, now, ct);
                await tx.CommitAsync(ct);
            }
            else await tx.RollbackAsync(ct);
        }
        if (!moved)
        {
            // Lost to a cancellation (the unpaid expiry, say) between the read and the update: refused like one read before it.
            db.ChangeTracker.Clear();
            var now2 = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => o.Status).FirstAsync(ct);
            if (now2 is OrderStatus.Cancelled && RefundsLatePayment(provider, order, cents, currency))
                return await TakeLatePaymentAsync(db, order, provider, paymentId, cents, currency, providerRef, detail, ct);
            db.Payments.Add(Row(PaymentOutcomes.Late, $"{detail}; the order is {now2}"));
            await db.SaveChangesAsync(ct);
            if (now2 is OrderStatus.Cancelled) return Failure.Conflict(OrderStateMachine.Apply(OrderStatus.Cancelled, OrderTrigger.Pay).Error!);
            return PaymentState.Paid;
        }
        LogPaid(logger, order.FormatNumber(), provider, paidCents);
        await dispatch.DispatchAsync(orderId, ct);
        return PaymentState.Paid;
    }

    /// <summary>
    /// A provider's money for an order already cancelled (by its customer, a dispatcher, or the unpaid expiry) is taken, not
    /// refused: the provider has it either way and would only send the notice again. The notice is recorded, the order's
    /// money columns say paid (once: a repeated notice finds them set), and a full refund is queued in the same transaction
    /// for <see cref="RefundCoordinator"/>, which gives it back through the provider and tells the customer.
    /// A merchant's own callback is left refused as before: the merchant holds that money.
    /// </summary>
    private async Task<Outcome<PaymentState>> TakeLatePaymentAsync(DispatchDbContext db, OrderRecord order, string provider, Guid? paymentId,
        long? cents, string? currency, string? providerRef, string detail, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var paidCents = (int?)cents ?? order.PriceCents;
        var taken = 0;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Payments.Add(new PaymentRecord
            {
                Id = Guid.CreateVersion7(), OrderId = order.Id, PaymentId = paymentId, Kind = PaymentRecordKinds.Notice, Provider = provider,
                Outcome = PaymentOutcomes.Late, AmountCents = cents, Currency = Clip(currency, 3),
                ProviderRef = Clip(providerRef, 64), Detail = Clip($"{detail}; paid after the order was cancelled: refunded in full", 500)!, At = now,
            });
            await db.SaveChangesAsync(ct);
            // Only money not recorded yet: a repeated notice (or a second payment try) must not queue a second refund.
            taken = await db.Orders.Where(o => o.Id == order.Id && o.Status == OrderStatus.Cancelled && (o.PaymentState == PaymentState.Pending || o.PaymentState == PaymentState.Failed))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.PaymentState, PaymentState.Paid).SetProperty(o => o.PaidAt, now).SetProperty(o => o.PaidCents, paidCents)
                    .SetProperty(o => o.PaymentMethod, provider).SetProperty(o => o.PaymentId, paymentId).SetProperty(o => o.PaymentRef, Clip(providerRef, 64)), ct);
            if (taken == 1)
            {
                db.Refunds.Add(new RefundRecord
                {
                    Id = Guid.CreateVersion7(), OrderId = order.Id, Reason = RefundReason.CancelledBeforePickup, Actor = "payment",
                    Note = "paid after the order was cancelled", State = RefundState.Pending, DueAt = now, CreatedAt = now,
                });
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        if (taken == 1)
        {
            LogLateRefunded(logger, order.FormatNumber(), provider, paidCents);
            refunds.Wake();
        }
        else
        {
            LogLateRepeated(logger, order.FormatNumber(), provider);
        }
        return taken == 1 ? PaymentState.Paid : order.PaymentState;
    }

    /// <summary>
    /// Money a provider took for a priced order goes back by itself when it is what the order cost; a merchant's callback
    /// money is the merchant's to return, and a mismatched amount is left refused and recorded for a person to look at.
    /// </summary>
    private static bool RefundsLatePayment(string provider, OrderRecord order, long? cents, string? currency) =>
        provider != Callback && order.PriceCents is > 0 && PaymentRules.Check(order.PriceCents, order.Currency, cents, currency).Matches;

    private static string? Clip(string? text, int max) => text is { } t && t.Length > max ? t[..max] : text;

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment of order {Number} started at {Provider}: {Cents} cents {Currency}")]
    private static partial void LogStarted(ILogger logger, string number, string provider, int cents, string currency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment of order {Number} refused by {Provider}: {Error}")]
    private static partial void LogStartRefused(ILogger logger, string number, string provider, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} paid through {Provider}: {Cents} cents")]
    private static partial void LogPaid(ILogger logger, string number, string provider, int? cents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment of order {Number} failed at {Provider}: {Detail}")]
    private static partial void LogFailed(ILogger logger, string number, string provider, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment of order {Number} through {Provider} refused: {Reason}")]
    private static partial void LogMismatch(ILogger logger, string number, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Number} was paid through {Provider} after it was cancelled: {Cents} cents taken and refunded in full")]
    private static partial void LogLateRefunded(ILogger logger, string number, string provider, int? cents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number}: {Provider} sent its late payment notice again; the money is already recorded and its refund queued")]
    private static partial void LogLateRepeated(ILogger logger, string number, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Number} was paid through {Provider} after it was cancelled; the money must go back")]
    private static partial void LogLate(ILogger logger, string number, string provider);
}
