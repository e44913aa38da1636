namespace Dispatch.Server.Outbox;

/// <summary>The kinds of outbox events. Webhook event types are these names.</summary>
internal static class OutboxKinds
{
    /// <summary>An order's status changed (<see cref="OrderMoved"/>).</summary>
    public const string OrderStatus = "order.status";

    /// <summary>The courier is about to arrive at the drop-off (<see cref="OrderArriving"/>); an event, not a status.</summary>
    public const string OrderArriving = "order.arriving";

    /// <summary>A courier's pending offer was withdrawn or expired (<see cref="OfferWithdrawal"/>); for the courier's app, no webhook.</summary>
    public const string OfferWithdrawn = "offer.withdrawn";

    /// <summary>A dispatcher, the recovery sweep or a suspension took the order from a courier (<see cref="OrderReassignment"/>); for the old courier's app, no webhook.</summary>
    public const string OrderReassigned = "courier.order-reassigned";

    /// <summary>A dispatcher gave the order to a courier (<see cref="JobAssignment"/>); for the new courier's app, no webhook.</summary>
    public const string JobAssigned = "courier.job-assigned";

    /// <summary>A buy-for-me receipt was submitted or decided (<see cref="ReceiptChange"/>); for the courier's app and the tracking page, no webhook.</summary>
    public const string ReceiptChanged = "errand.receipt";

    /// <summary>A stop of a multi-stop errand was done (<see cref="StopChange"/>); for the tracking page, no webhook.</summary>
    public const string StopCompleted = "errand.stop";

    /// <summary>A courier's route for an order was planned (<see cref="RoutePlanned"/>); for the courier's app and the tracking page, no webhook.</summary>
    public const string RoutePlanned = "route.planned";

    /// <summary>Money went back to the customer (<see cref="Payments.PaymentRefunded"/>).</summary>
    public const string PaymentRefunded = "payment.refunded";
}
