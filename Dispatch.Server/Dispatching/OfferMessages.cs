using Dispatch.Core.Contracts;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Dispatching;

/// <summary>What a courier is shown of an offer.</summary>
internal static class OfferMessages
{
    public static OfferMessage For(OrderRecord order, OfferRecord offer)
    {
        var pickup = OrderEvents.ToLatLon(order.Pickup);
        var dropoff = OrderEvents.ToLatLon(order.Dropoff);
        return new OfferMessage(offer.Id, order.Id, order.FormatNumber(), order.Kind, pickup.Lat, pickup.Lon, order.PickupAddress,
            dropoff.Lat, dropoff.Lon, order.DropoffAddress, offer.DistanceMetres, order.PromisedAt, offer.ExpiresAt, order.PriceCapCents,
            OrderStops.Views(order));
    }

    /// <summary>The orders of these offers, with only what an offer shows: never the customer's encrypted columns.</summary>
    public static Task<Dictionary<Guid, OrderRecord>> OrdersAsync(DispatchDbContext db, IEnumerable<OfferRecord> offers, CancellationToken ct)
    {
        var orderIds = offers.Select(f => f.OrderId).Distinct().ToList();
        return db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).Select(o => new OrderRecord
        {
            Id = o.Id,
            Number = o.Number,
            Kind = o.Kind,
            Pickup = o.Pickup,
            PickupAddress = o.PickupAddress,
            Dropoff = o.Dropoff,
            DropoffAddress = o.DropoffAddress,
            PromisedAt = o.PromisedAt,
            PriceCapCents = o.PriceCapCents,
            Stops = o.Stops,
        }).ToDictionaryAsync(o => o.Id, ct);
    }
}
