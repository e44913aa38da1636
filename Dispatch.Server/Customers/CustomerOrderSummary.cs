using Dispatch.Core.Orders;

namespace Dispatch.Server.Customers;

/// <summary>One line of a customer's order list (GET /api/customers/me/orders).</summary>
public sealed record CustomerOrderSummary(
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
    string TrackingUrl);
