using Dispatch.Core.Payments;
using Dispatch.Core.Pricing;
using Dispatch.Server.Persistence;

namespace Dispatch.Server.Orders;

/// <summary>
/// The money of an order as the order API and the board's drawer show it. <paramref name="PriceCents"/> is null for an
/// unpriced order (its merchant collects the money); <paramref name="Alert"/> says why the last notification was refused.
/// Part of the order's view, read from the order's own payment columns; Payments writes them and reads this back.
/// </summary>
internal sealed record PaymentView(
    int? PriceCents,
    string Currency,
    PriceLine[] Lines,
    PaymentState State,
    string? Method,
    int? PaidCents,
    DateTimeOffset? PaidAt,
    DateTimeOffset? FailedAt,
    DateTimeOffset? AlertAt,
    string? Alert,
    int RefundedCents,
    DateTimeOffset? RefundedAt,
    int? CourierFeeCents,
    RefundView[] Refunds)
{
    public static PaymentView Of(OrderRecord o, string defaultCurrency, RefundView[] refunds) => new(
        o.PriceCents, o.Currency ?? defaultCurrency, OrderPricing.ReadLines(o.PriceLines), o.PaymentState, o.PaymentMethod, o.PaidCents, o.PaidAt, o.PaymentFailedAt,
        o.PaymentAlertAt, o.PaymentAlert, o.RefundedCents, o.RefundedAt, o.CourierFeeCents, refunds);
}
