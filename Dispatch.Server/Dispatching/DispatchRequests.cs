using Dispatch.Core.Matching;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;

namespace Dispatch.Server.Dispatching;

/// <summary>The order as dispatch sees it, for sequential and broadcast rounds and batch rounds alike.</summary>
internal static class DispatchRequests
{
    /// <summary>Who was offered the order already, and when decliners (or couriers who let it run out) answered.</summary>
    public static DispatchRequest For(OrderRecord order, IReadOnlyList<PastOffer> offers)
    {
        var declinedAt = new Dictionary<Guid, DateTimeOffset>();
        foreach (var f in offers)
        {
            if (f.Status is not (OfferStatus.Declined or OfferStatus.Expired) || f.RespondedAt is not { } at) continue;
            if (!declinedAt.TryGetValue(f.CourierId, out var seen) || at > seen) declinedAt[f.CourierId] = at;
        }
        return new DispatchRequest(order.Id, order.Kind, order.RequiresColdChain, OrderEvents.ToLatLon(order.Pickup),
            offers.Select(f => f.CourierId).ToHashSet(), declinedAt, OrderEvents.ToLatLon(order.Dropoff), order.ReadyAt, order.PromisedAt,
            OrderStops.Remaining(order), PlacedAt: order.CreatedAt, Reference: order.FormatNumber());
    }
}
