using Dispatch.Core.Orders;

namespace Dispatch.Core.Notifications;

/// <summary>
/// Which order changes a customer hears about, and which held message is no longer worth sending. Offers, dispatching,
/// arrival at the shop and "in transit" say nothing new to the customer; a reassignment's second "courier found" is the
/// same kind as the first, so (at most once per kind per order) it is not sent again. Pure.
/// </summary>
public static class CustomerNotices
{
    /// <summary>The notice an order's move from <paramref name="from"/> to <paramref name="to"/> means, or null for none.</summary>
    public static CustomerNoticeKind? ForMove(OrderStatus from, OrderStatus to) => to switch
    {
        OrderStatus.Accepted when from is OrderStatus.Offered or OrderStatus.Dispatching or OrderStatus.Paid => CustomerNoticeKind.CourierFound,
        OrderStatus.PickedUp when from is not OrderStatus.PickedUp => CustomerNoticeKind.PickedUp,
        OrderStatus.Delivered => CustomerNoticeKind.Delivered,
        OrderStatus.Cancelled => CustomerNoticeKind.Cancelled,
        OrderStatus.Failed => CustomerNoticeKind.Failed,
        _ => null,
    };

    /// <summary>The end of the story: always worth telling, even late.</summary>
    public static bool IsFinal(CustomerNoticeKind kind) => kind is CustomerNoticeKind.Delivered or CustomerNoticeKind.Cancelled or CustomerNoticeKind.Failed;

    /// <summary>
    /// Whether a message held back (quiet night) is stale when its hold ends: a non-final message is, once the order has a
    /// later notice of its own (the customer wakes to the latest news, not to a night's worth of steps). Final ones never are.
    /// </summary>
    public static bool IsStale(CustomerNoticeKind kind, IEnumerable<CustomerNoticeKind> orderNotices)
    {
        ArgumentNullException.ThrowIfNull(orderNotices);
        return !IsFinal(kind) && orderNotices.Any(other => Rank(other) > Rank(kind));
    }

    private static int Rank(CustomerNoticeKind kind) => kind switch
    {
        CustomerNoticeKind.CourierFound => 1,
        CustomerNoticeKind.PickedUp => 2,
        CustomerNoticeKind.Delayed => 3,
        CustomerNoticeKind.Arriving => 4,
        _ => 5,
    };
}
