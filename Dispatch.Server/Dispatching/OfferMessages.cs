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

    /// <summary>
    /// One message per offer the courier is shown: an offer of one order as it is; a bundle's rows as one message with the
    /// bundle's id, describing its first order and listing every order of it (<see cref="OfferMessage.Bundle"/>), so a courier
    /// is never shown part of a bundle. The rows of a bundle must all be given; rows whose order is not in <paramref name="orders"/> are left out.
    /// </summary>
    public static List<(Guid CourierId, OfferMessage Message)> Group(IEnumerable<OfferRecord> offers, Dictionary<Guid, OrderRecord> orders)
    {
        var messages = new List<(Guid, OfferMessage)>();
        foreach (var group in offers.Where(f => orders.ContainsKey(f.OrderId)).GroupBy(f => f.BundleId ?? f.Id))
        {
            var rows = group.DistinctBy(f => f.Id).OrderBy(f => f.Id).ToList();
            var first = For(orders[rows[0].OrderId], rows[0]);
            messages.Add((rows[0].CourierId, rows[0].BundleId is { } bundle
                ? first with { OfferId = bundle, Bundle = [.. rows.Select(f => For(orders[f.OrderId], f))] }
                : first));
        }
        return messages;
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
