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

    /// <summary>A dispatcher gives the order to a courier of their choice (assign, or reassign before pickup).</summary>
    Assign,

    /// <summary>The courier holding it went silent before pickup, past the limit: the order goes back to dispatching.</summary>
    Abandon,
}
