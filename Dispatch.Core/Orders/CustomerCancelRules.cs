namespace Dispatch.Core.Orders;

/// <summary>
/// When a customer may cancel their own order from the app: until a courier accepts it (no one has set out yet, so the
/// refund is full). After that only the dispatcher cancels, because a courier is on the way.
/// </summary>
public static class CustomerCancelRules
{
    /// <summary>True while no courier has accepted the order.</summary>
    public static bool MayCancel(OrderStatus status) =>
        status is OrderStatus.Placed or OrderStatus.Paid or OrderStatus.Dispatching or OrderStatus.Offered;

    /// <summary>Why the customer may not cancel an order in <paramref name="status"/>; null when they may.</summary>
    public static string? Refusal(OrderStatus status, string number) => status switch
    {
        _ when MayCancel(status) => null,
        OrderStatus.Cancelled => $"Order {number} is already cancelled.",
        OrderStatus.Delivered or OrderStatus.Failed => $"Order {number} is {status}; it can no longer be cancelled.",
        _ => $"A courier has accepted order {number} and is on the way; ask the dispatcher to cancel it.",
    };
}
