using Dispatch.Core.Orders;
using Dispatch.Core.Payments;

namespace Dispatch.Server.Customers;

/// <summary>One line of a customer's order list (GET /api/customers/me/orders); Cancellable while no courier has accepted it.</summary>
internal sealed record CustomerOrderSummary(
    Guid Id,
    string Number,
    OrderStatus Status,
    string? ServiceId,
    string PickupAddress,
    string DropoffAddress,
    DateTimeOffset CreatedAt,
    int? TotalCents,
    string? Currency,
    int? RatingStars,
    string TrackingUrl,
    PaymentState PaymentState,
    int RefundedCents,
    bool Cancellable);
