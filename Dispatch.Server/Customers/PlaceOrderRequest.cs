using Dispatch.Server.Orders;

namespace Dispatch.Server.Customers;

/// <summary>
/// Body of POST /api/customers/me/orders: the quote to order from, who receives it, what to carry or buy. The trip
/// (<see cref="ServiceId"/>, places) may be repeated to be checked against the quote: an order that differs is refused.
/// </summary>
internal sealed record PlaceOrderRequest(
    Guid? QuoteId,
    string? ContactName = null,
    string? ContactPhone = null,
    string[]? Items = null,
    BuyForMeRequest? BuyForMe = null,
    string? Language = null,
    string? ServiceId = null,
    PlaceDto? Pickup = null,
    StopRequest[]? Stops = null,
    PlaceDto? Dropoff = null);
