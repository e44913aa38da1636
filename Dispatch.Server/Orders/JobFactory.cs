using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Persistence;

namespace Dispatch.Server.Orders;

/// <summary>Turns an order row into the job a courier works from (no PIN: the customer tells it at the door).</summary>
public static class JobFactory
{
    public static ActiveJob ToJob(OrderRecord order)
    {
        var pickup = OrderEvents.ToLatLon(order.Pickup);
        var dropoff = OrderEvents.ToLatLon(order.Dropoff);
        return new ActiveJob(order.Id, order.FormatNumber(), order.Status, order.Kind, pickup.Lat, pickup.Lon, order.PickupAddress,
            dropoff.Lat, dropoff.Lon, order.DropoffAddress, PhoneMask.Mask(order.CustomerPhone));
    }
}
