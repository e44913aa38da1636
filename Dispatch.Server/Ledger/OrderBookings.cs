using Dispatch.Core.Ledger;
using Dispatch.Core.Payments;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Ledger;

/// <summary>
/// The ledger side of an order's money events, called by the coordinators that make them inside their transactions
/// (payment, delivery, refund): each turns the order as read into a posting (<see cref="LedgerRules"/>) and books it.
/// </summary>
internal static class OrderBookings
{
    /// <summary>A payment of <paramref name="paidCents"/> reached the order (the move to Paid is in the same transaction).</summary>
    public static Task<bool> PaidAsync(DispatchDbContext db, OrderRecord order, int? paidCents, string defaultCurrency, DateTimeOffset at, CancellationToken ct) =>
        LedgerRules.Payment(order.Id, paidCents ?? 0, order.Currency ?? defaultCurrency) is { } posting
            ? LedgerWriter.PostAsync(db, posting, "payment", at, ct)
            : Task.FromResult(false);

    /// <summary>
    /// The order was delivered by <paramref name="courierId"/> with <paramref name="fee"/> (cents, courier currency), in a zone
    /// whose days are cut in <paramref name="timeZone"/> (its lines are settled at that zone's midnight).
    /// </summary>
    public static Task<bool> DeliveredAsync(DispatchDbContext db, OrderRecord order, Guid courierId, int? fee, string courierCurrency, Surcharges surcharges,
        string timeZone, DateTimeOffset at, CancellationToken ct)
    {
        var paidNet = order.PaymentState is PaymentState.Paid or PaymentState.PartlyRefunded ? (order.PaidCents ?? 0) - (long)order.RefundedCents : 0;
        var delivered = new DeliveredOrder(order.Id, courierId, fee ?? 0, order.RequiresColdChain, order.PriceCapCents is not null || order.Stops is not null,
            order.ApprovedCents ?? 0, courierCurrency, Math.Max(0, paidNet), order.Currency ?? courierCurrency);
        return LedgerRules.Delivery(delivered, surcharges) is { } posting
            ? LedgerWriter.PostAsync(db, posting with { TimeZone = timeZone }, $"courier:{courierId:N}", at, ct)
            : Task.FromResult(false);
    }

    /// <summary>
    /// <paramref name="cents"/> went back to the customer (the order's refunded total is updated in the same transaction).
    /// The courier's earned fee and surcharges are read from the delivery's own lines, so the reversal takes back exactly
    /// what was booked.
    /// </summary>
    public static async Task<bool> RefundedAsync(DispatchDbContext db, Guid refundId, OrderRecord order, int cents, string defaultCurrency,
        bool reverseFeeOnFullRefund, string actor, DateTimeOffset at, CancellationToken ct)
    {
        // After revenue was booked (delivered, or a failed order's kept share), a refund is the platform's, not the prepayment's.
        var keptCause = $"kept:{order.Id:N}";
        var delivered = order.Status == Dispatch.Core.Orders.OrderStatus.Delivered
            || await db.Set<LedgerTransactionRecord>().AnyAsync(t => t.Cause == keptCause, ct);
        var fullyRefunded = order.PaidCents is { } paid && order.RefundedCents + cents >= paid;
        var earned = await db.Set<LedgerLineRecord>().AsNoTracking()
            .Where(l => l.OrderId == order.Id && l.Account == LedgerAccounts.CourierPending
                && (l.Kind == LedgerLineKinds.Fee || l.Kind == LedgerLineKinds.ColdChainSurcharge || l.Kind == LedgerLineKinds.ErrandSurcharge))
            .GroupBy(l => new { l.Currency, l.TimeZone }).Select(g => new { g.Key.Currency, g.Key.TimeZone, Credit = -g.Sum(l => l.Amount) }).FirstOrDefaultAsync(ct);
        var posting = LedgerRules.Refund(refundId, order.Id, cents, order.Currency ?? defaultCurrency, delivered, fullyRefunded, order.CourierId,
            earned?.Credit ?? 0, earned?.Currency ?? defaultCurrency, reverseFeeOnFullRefund);
        // A fee taken back belongs to the days of the zone where it was earned.
        return posting is not null && await LedgerWriter.PostAsync(db, posting with { TimeZone = earned?.TimeZone }, actor, at, ct);
    }

    /// <summary>A failed order's refund by the rule is done and <paramref name="cents"/> were kept: they become revenue.</summary>
    public static Task<bool> KeptAsync(DispatchDbContext db, OrderRecord order, int cents, string defaultCurrency, string actor, DateTimeOffset at,
        CancellationToken ct) =>
        LedgerRules.Kept(order.Id, cents, order.Currency ?? defaultCurrency) is { } posting
            ? LedgerWriter.PostAsync(db, posting, actor, at, ct)
            : Task.FromResult(false);
}
