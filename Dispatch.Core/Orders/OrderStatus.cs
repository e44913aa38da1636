namespace Dispatch.Core.Orders;

/// <summary>Where an order is in its life. Numeric values are stored; never renumber.</summary>
public enum OrderStatus
{
    Placed = 0,
    Paid = 1,
    Dispatching = 2,
    Offered = 3,
    Accepted = 4,
    ArrivedAtPickup = 5,
    PickedUp = 6,
    InTransit = 7,
    ArrivedAtDropoff = 8,
    Delivered = 9,
    Cancelled = 10,
    Failed = 11,
}
