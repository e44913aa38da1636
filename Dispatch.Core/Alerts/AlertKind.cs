namespace Dispatch.Core.Alerts;

/// <summary>What an alert on the control-room board is about.</summary>
public enum AlertKind
{
    /// <summary>An online courier has sent no position for longer than the limit.</summary>
    StaleCourier = 0,

    /// <summary>A paid order has had no courier for longer than the limit.</summary>
    Unassigned = 1,

    /// <summary>An order is past its promised time and not delivered.</summary>
    Late = 2,

    /// <summary>Frozen goods have been on the road for most of their cold-chain budget.</summary>
    ColdChainAtRisk = 3,

    /// <summary>One order was declined by many couriers.</summary>
    OrderDeclineStorm = 4,

    /// <summary>One courier declined many offers in a short window.</summary>
    CourierDeclineStorm = 5,

    /// <summary>PIN entry of an order locked after too many wrong PINs; a dispatcher must unlock it.</summary>
    PinLocked = 6,

    /// <summary>A payment notification did not match the order's price or currency; the order stays unpaid.</summary>
    PaymentMismatch = 7,
}
