using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Courier.Api;

// Shapes of the server's HTTP API (JSON camelCase, enums as camelCase strings).

/// <summary>A development courier from <c>POST /dev/fleet</c>, with a ready-to-use bearer token.</summary>
/// <summary>A courier of the development fleet, and where the server last saw them (null: never).</summary>
internal sealed record FleetCourier(Guid CourierId, string Name, string Token, double? LastLat = null, double? LastLon = null);

/// <summary>A zone from <c>GET /api/zones</c>.</summary>
internal sealed record ZoneInfo(string Name, LatLon Centre, ZoneBounds Bounds);

/// <summary>A zone's bounding box, degrees.</summary>
internal sealed record ZoneBounds(double MinLat, double MinLon, double MaxLat, double MaxLon);

/// <summary>A pickup or drop-off point.</summary>
internal sealed record OrderPlace(double Lat, double Lon, string Address);

/// <summary>Body of <c>POST /api/orders</c>.</summary>
internal sealed record NewOrder(
    OrderKind Kind,
    OrderPlace Pickup,
    OrderPlace Dropoff,
    string CustomerName,
    string CustomerPhone,
    IReadOnlyList<string> Items,
    DateTimeOffset PromisedAt,
    DateTimeOffset? ReadyAt = null,
    IReadOnlyList<OrderStop>? Stops = null);

/// <summary>A stop of a multi-stop errand between pickup and drop-off, in <c>POST /api/orders</c>. Degrees.</summary>
internal sealed record OrderStop(double Lat, double Lon, string Address, Dispatch.Core.Errands.StopAction Action, string? Note = null);

/// <summary>The 201 answer of <c>POST /api/orders</c>. <see cref="TrackingUrl"/> is server-relative.</summary>
internal sealed record CreatedOrder(
    Guid Id,
    string Number,
    OrderStatus Status,
    string Pin,
    string TrackingToken,
    string TrackingUrl,
    DateTimeOffset TrackingExpiresAt);

/// <summary>Body of <c>POST /api/payments/callback</c>; <see cref="Status"/> is e.g. "paid".</summary>
internal sealed record PaymentCallback(Guid OrderId, string Status, decimal Amount);

internal sealed record DevFleetRequest(int Count, string Prefix);

internal sealed record DevTokenRequest(string Role, string Subject);

internal sealed record DevTokenResponse(string Token);

/// <summary>RFC 7807 problem details, as much as the client shows.</summary>
internal sealed record ProblemBody(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors);
