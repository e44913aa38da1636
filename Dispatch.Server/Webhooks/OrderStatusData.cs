using System.Text.Json.Serialization;
using Dispatch.Core.Orders;

namespace Dispatch.Server.Webhooks;

/// <summary>
/// Data of an order.status webhook: only what the merchant may see — whether a courier holds the order, never which one,
/// and no customer data (the merchant has its own). <paramref name="Reason"/> only when the order was cancelled or failed.
/// </summary>
internal sealed record OrderStatusData(
    Guid OrderId,
    string Number,
    OrderStatus Status,
    OrderStatus PreviousStatus,
    DateTimeOffset At,
    bool CourierAssigned,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);
