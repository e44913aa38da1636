using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Matching;

/// <summary>
/// What dispatch needs to know about an order to pick couriers: who was already offered it, and when those who
/// declined it or let the offer run out gave that answer (they may be asked again after a cool-down, at a penalty).
/// With <paramref name="Dropoff"/> known the ranker plans each courier's trip with the order in it (lateness against
/// <paramref name="PromisedAt"/>, waiting for <paramref name="ReadyAt"/>, cold chain, shift end, delay to orders on board);
/// without it only the first-version terms apply. <paramref name="Via"/>: a multi-stop errand's stops between pickup and
/// drop-off, in order; their legs count in the order's own trip. <paramref name="PlacedAt"/>: when the customer ordered (a batch
/// round serves the oldest first when couriers are short; null: age 0). <paramref name="Reference"/>: how a dispatcher
/// names the order ("D-000123"), for explanations that mention it.
/// </summary>
public sealed record DispatchRequest(
    Guid OrderId,
    OrderKind Kind,
    bool RequiresColdChain,
    LatLon Pickup,
    IReadOnlySet<Guid> AlreadyOffered,
    IReadOnlyDictionary<Guid, DateTimeOffset>? DeclinedAt = null,
    LatLon? Dropoff = null,
    DateTimeOffset? ReadyAt = null,
    DateTimeOffset? PromisedAt = null,
    IReadOnlyList<LatLon>? Via = null,
    DateTimeOffset? PlacedAt = null,
    string? Reference = null)
{
    public bool IsFrozen => RequiresColdChain || Kind == OrderKind.Frozen;

    /// <summary>The order as one more stop pair in a courier's trip.</summary>
    public CarriedOrder AsCarried(LatLon dropoff, DateTimeOffset now) =>
        new(OrderId, IsFrozen ? OrderKind.Frozen : Kind, Pickup, dropoff, PromisedAt ?? now.AddHours(1), null, ReadyAt, Via);
}
