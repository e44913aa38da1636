using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;

namespace Dispatch.Server.Orders;

/// <summary>A place in an order request or view. Degrees.</summary>
internal sealed record PlaceDto(double? Lat, double? Lon, string? Address);

/// <summary>Body of POST /api/orders.</summary>
internal sealed record CreateOrderRequest(
    OrderKind? Kind,
    PlaceDto? Pickup,
    PlaceDto? Dropoff,
    string? CustomerName,
    string? CustomerPhone,
    string[]? Items,
    DateTimeOffset? PromisedAt,
    bool? RequiresColdChain,
    BuyForMeRequest? BuyForMe = null,
    DateTimeOffset? ReadyAt = null,
    StopRequest[]? Stops = null,
    string? CustomerLanguage = null,
    string? CustomerEmail = null,
    string? CustomerWeChatOpenId = null,
    int? DeliveryFeeCents = null,
    string? Currency = null);

/// <summary>
/// An intermediate stop of a multi-stop errand, between the pickup and the final drop-off: where, what the courier does there
/// (<c>"pickup"</c>: collect something more; <c>"dropoff"</c>: leave part of the goods), and a note for the courier. Degrees.
/// <see cref="Action"/> is a string so a wrong value is a problem naming <c>stops[i].action</c>, not an unreadable body.
/// </summary>
internal sealed record StopRequest(double? Lat, double? Lon, string? Address, string? Action, string? Note);

/// <summary>Makes an order a buy-for-me errand: the courier buys the list at the pickup, spending at most the cap without asking.</summary>
internal sealed record BuyForMeRequest(int? PriceCapCents, string? ShoppingList);

/// <summary>
/// An order as the API shows it. <see cref="Pin"/> and the tracking link only go to the merchant that owns it. A merchant
/// passes what it reads on to the end customer, so it gets the customer's timeline (<see cref="CustomerTimeline"/>) and
/// neither the full <see cref="Timeline"/> (empty) nor the courier's id; dispatchers and admins get both timelines.
/// </summary>
internal sealed record OrderView(
    Guid Id,
    string Number,
    OrderStatus Status,
    OrderKind Kind,
    bool RequiresColdChain,
    string Zone,
    PlaceDto Pickup,
    PlaceDto Dropoff,
    string CustomerName,
    string CustomerPhoneMasked,
    string[] Items,
    DateTimeOffset PromisedAt,
    DateTimeOffset CreatedAt,
    Guid? CourierId,
    string? Pin,
    string? TrackingToken,
    string? TrackingUrl,
    DateTimeOffset? TrackingExpiresAt,
    TimelineEntry[] Timeline,
    BuyForMeView? BuyForMe = null,
    RatingView? Rating = null,
    int? CourierFeeCents = null,
    DateTimeOffset? ReadyAt = null,
    StopView[]? Stops = null,
    CustomerTimelineEntry[]? CustomerTimeline = null,
    PaymentView? Payment = null);
