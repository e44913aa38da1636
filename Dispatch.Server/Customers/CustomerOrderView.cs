using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Catalogue;
using Dispatch.Server.Orders;

namespace Dispatch.Server.Customers;

/// <summary>
/// One of a customer's orders as they see it: the trip, the hand-over PIN, the tracking link, the quote it was placed
/// from (the price breakdown), the shopping errand, the rating, and the customer's timeline. No courier data.
/// </summary>
public sealed record CustomerOrderView(
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
    CustomerTimelineEntry[] Timeline);
