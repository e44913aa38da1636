using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Tracking;

/// <summary>The order facts a tracking view is built from; the errand parts are already customer views.</summary>
public sealed record TrackedOrder(
    Guid Id,
    string Number,
    OrderStatus Status,
    LatLon Pickup,
    LatLon Dropoff,
    DateTimeOffset PromisedAt,
    BuyForMeView? BuyForMe = null,
    RatingView? Rating = null,
    StopView[]? Stops = null);
