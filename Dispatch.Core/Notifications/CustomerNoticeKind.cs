namespace Dispatch.Core.Notifications;

/// <summary>What a customer is told off the tracking page. Stored by name (customer_notifications.kind); never rename.</summary>
public enum CustomerNoticeKind
{
    CourierFound,
    PickedUp,
    Arriving,
    Delayed,
    Delivered,
    Cancelled,
    Failed,

    /// <summary>Money went back to the customer (all or part of what they paid).</summary>
    Refunded,

    /// <summary>A one-time sign-in code for the customer app, not about an order; never stored in customer_notifications.</summary>
    SignInCode,
}
