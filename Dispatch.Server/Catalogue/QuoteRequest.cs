using Dispatch.Server.Orders;

namespace Dispatch.Server.Catalogue;

/// <summary>Body of POST /api/quotes: a service and the trip, pickup first; stops only for a multi-stop errand. Degrees.</summary>
internal sealed record QuoteRequest(string? ServiceId, PlaceDto? Pickup, PlaceDto? Dropoff, StopRequest[]? Stops = null);
