namespace Dispatch.Server.Outbox;

/// <summary>The kinds of outbox events. Webhook event types are these names.</summary>
public static class OutboxKinds
{
    /// <summary>An order's status changed (<see cref="OrderMoved"/>).</summary>
    public const string OrderStatus = "order.status";

    /// <summary>The courier is about to arrive at the drop-off (<see cref="OrderArriving"/>); an event, not a status.</summary>
    public const string OrderArriving = "order.arriving";

    /// <summary>Money went back to the customer (<see cref="Payments.PaymentRefunded"/>).</summary>
    public const string PaymentRefunded = "payment.refunded";
}
