using Dispatch.Core.Orders;
using Dispatch.Server.Persistence;

namespace Dispatch.Server.OrderLists;

/// <summary>One order found by a search or listed. The phone is masked; open the order for its timeline.</summary>
internal sealed record OrderSearchHit(
    Guid Id, string Number, OrderStatus Status, OrderKind Kind, string Zone, DateTimeOffset CreatedAt, DateTimeOffset PromisedAt,
    string CustomerName, string CustomerPhoneMasked, string PickupAddress, string DropoffAddress, Guid? CourierId)
{
    /// <summary>An order as lists show it: the phone masked, the courier for staff only.</summary>
    public static OrderSearchHit From(OrderRecord o) => new(o.Id, o.FormatNumber(), o.Status, o.Kind, o.Zone, o.CreatedAt, o.PromisedAt,
        o.CustomerName, PhoneMask.Mask(o.CustomerPhone), o.PickupAddress, o.DropoffAddress, o.CourierId);
}
