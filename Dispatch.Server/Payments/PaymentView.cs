using Dispatch.Core.Payments;
using Dispatch.Core.Pricing;

namespace Dispatch.Server.Payments;

/// <summary>
/// The money of an order as the order API and the board's drawer show it. <paramref name="PriceCents"/> is null for an
/// unpriced order (its merchant collects the money); <paramref name="Alert"/> says why the last notification was refused.
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
    RefundView[] Refunds);
