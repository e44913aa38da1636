namespace Dispatch.Core.Orders;

/// <summary>The intents that move an order between statuses.</summary>
public enum OrderTrigger
{
    Pay,
    StartDispatch,
    Offer,
    OffersExhausted,
    Accept,
    ArriveAtPickup,
    PickUp,
    StartTransit,
    ArriveAtDropoff,
    Deliver,
    Cancel,
    Fail,
}
