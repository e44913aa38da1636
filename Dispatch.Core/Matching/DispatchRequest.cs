using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Matching;

/// <summary>
/// What dispatch needs to know about an order to pick couriers: who was already offered it, and when those who
/// declined it or let the offer run out gave that answer (they may be asked again after a cool-down, at a penalty).
/// </summary>
public sealed record DispatchRequest(
    Guid OrderId,
    OrderKind Kind,
    bool RequiresColdChain,
    LatLon Pickup,
    IReadOnlySet<Guid> AlreadyOffered,
    IReadOnlyDictionary<Guid, DateTimeOffset>? DeclinedAt = null);
