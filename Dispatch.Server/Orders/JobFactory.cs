using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Persistence;

namespace Dispatch.Server.Orders;

/// <summary>Turns an order row into the job a courier works from (no PIN: the customer tells it at the door).</summary>
internal static class JobFactory
{
    public static ActiveJob ToJob(OrderRecord order, string currency)
    {
        var pickup = OrderEvents.ToLatLon(order.Pickup);
        var dropoff = OrderEvents.ToLatLon(order.Dropoff);
        return new ActiveJob(order.Id, order.FormatNumber(), order.Status, order.Kind, pickup.Lat, pickup.Lon, order.PickupAddress,
            dropoff.Lat, dropoff.Lon, order.DropoffAddress, PhoneMask.Mask(order.CustomerPhone), BuyForMeOf(order, currency),
            OrderStops.Views(order));
    }

    /// <summary>The buy-for-me part of an order, or null for an ordinary order.</summary>
    public static BuyForMeView? BuyForMeOf(OrderRecord order, string currency) =>
        order.PriceCapCents is { } cap
            ? new BuyForMeView(cap, order.ShoppingList ?? "", order.ReceiptState, order.ReceiptCents, order.ReceiptPhotoRef, order.ApprovedCents, currency)
            : null;

    public static RatingView? RatingOf(OrderRecord order) =>
        order is { RatingStars: { } stars, RatedAt: { } at } ? new RatingView(stars, order.RatingComment, at) : null;
}
