using Dispatch.Core.Contracts;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;

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
            Errands.OrderStops.Views(order));
    }
}
