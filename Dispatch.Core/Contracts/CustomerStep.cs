namespace Dispatch.Core.Contracts;

/// <summary>
/// A step of an order as its customer sees it. Internal dispatch steps (offers, declines, expiries) all show as
/// <see cref="FindingCourier"/>; the numeric values go over MessagePack, so never renumber.
/// </summary>
public enum CustomerStep
{
    Placed = 0,
    Paid = 1,
    FindingCourier = 2,
    CourierAssigned = 3,
    AtPickup = 4,
    PickedUp = 5,
    OnTheWay = 6,
    Arriving = 7,
    AtDropoff = 8,
    Delivered = 9,
    Cancelled = 10,
    Failed = 11,
    StopDone = 12,
    Receipt = 13,
    Rated = 14,
}
