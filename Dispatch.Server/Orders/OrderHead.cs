using Dispatch.Core.Orders;
using Dispatch.Server.Persistence;

namespace Dispatch.Server.Orders;

/// <summary>
/// What <see cref="OrderTransitions"/> needs of an order as the caller read it: the key, the facts its outbox event carries,
/// and the status, version and courier the move is conditional on.
/// </summary>
internal sealed record OrderHead(Guid Id, long Number, string MerchantId, string Zone, OrderStatus Status, int Version, Guid? CourierId)
{
    public static OrderHead Of(OrderRecord order) =>
        new(order.Id, order.Number, order.MerchantId, order.Zone, order.Status, order.Version, order.CourierId);

    public string FormatNumber() => OrderRecord.FormatNumber(Number);
}
