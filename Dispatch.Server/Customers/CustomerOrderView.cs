using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Core.Payments;
using Dispatch.Server.Catalogue;
using Dispatch.Server.Orders;

namespace Dispatch.Server.Customers;

/// <summary>
/// One of a customer's orders as they see it: the trip, the hand-over PIN, the tracking link, the quote it was placed
/// from (the price breakdown), the shopping errand, the rating, the customer's timeline, and the money: payment state,
/// cents paid and refunded, by which method and when (the receipt), and whether the customer may still cancel. No courier data.
/// </summary>
internal sealed record CustomerOrderView(
    Guid Id,
    string Number,
    OrderStatus Status,
    OrderKind Kind,
    string Zone,
    PlaceDto Pickup,
    PlaceDto Dropoff,
    StopView[]? Stops,
    string[] Items,
    DateTimeOffset PromisedAt,
    DateTimeOffset CreatedAt,
    string Pin,
    string TrackingUrl,
    DateTimeOffset TrackingExpiresAt,
    QuoteView? Quote,
    BuyForMeView? BuyForMe,
    RatingView? Rating,
    CustomerTimelineEntry[] Timeline,
    PaymentState PaymentState,
    int? PaidCents,
    int RefundedCents,
    bool Cancellable,
    string? PaymentMethod,
    DateTimeOffset? PaidAt,
    DateTimeOffset? RefundedAt);
