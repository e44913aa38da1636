using System.Text.Json;
using Dispatch.Core.Payments;
using Dispatch.Core.Pricing;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Payments;

/// <summary>Builds <see cref="PaymentView"/>s and reads and writes the price lines column.</summary>
internal static class PaymentViews
{
    public static PaymentView Of(OrderRecord o, string defaultCurrency, RefundView[] refunds) => new(
        o.PriceCents, o.Currency ?? defaultCurrency, ReadLines(o.PriceLines), o.PaymentState, o.PaymentMethod, o.PaidCents, o.PaidAt, o.PaymentFailedAt,
        o.PaymentAlertAt, o.PaymentAlert, o.RefundedCents, o.RefundedAt, o.CourierFeeCents, refunds);

    public static Task<RefundView[]> RefundsAsync(DispatchDbContext db, Guid orderId, CancellationToken ct) => RefundsAsync(db.Refunds, orderId, ct);

    /// <summary>The refunds of an order from <paramref name="refunds"/>: the live table or the archive's twin.</summary>
    public static async Task<RefundView[]> RefundsAsync(IQueryable<RefundRecord> refunds, Guid orderId, CancellationToken ct) =>
        await refunds.AsNoTracking().Where(r => r.OrderId == orderId).OrderBy(r => r.CreatedAt)
            .Select(r => new RefundView(r.Id, r.Reason, r.State, r.AmountCents, r.RequestedCents, r.Actor, r.Note, r.Error, r.CreatedAt, r.DoneAt)).ToArrayAsync(ct);

    /// <summary>A refund row already read (Archive's OrderReader), as the order API shows it.</summary>
    public static RefundView ViewOf(RefundRecord r) => new(r.Id, r.Reason, r.State, r.AmountCents, r.RequestedCents, r.Actor, r.Note, r.Error, r.CreatedAt, r.DoneAt);

    public static string? WriteLines(IReadOnlyList<PriceLine>? lines) => lines is null ? null : JsonSerializer.Serialize(lines, JsonSerializerOptions.Web);

    public static PriceLine[] ReadLines(string? json) => json is null ? [] : JsonSerializer.Deserialize<PriceLine[]>(json, JsonSerializerOptions.Web) ?? [];
}
