using Dispatch.Core.Orders;
using NetTopologySuite.Geometries;

namespace Dispatch.Server.Persistence;

/// <summary>One transition of an order (table order_events): when, who, where.</summary>
internal sealed class OrderEventRecord
{
    public long Id { get; set; }

    public Guid OrderId { get; set; }

    public OrderStatus Status { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Who caused it: "merchant:m1", "payment", "dispatch", "courier:{id}".</summary>
    public string Actor { get; set; } = "";

    public Point? Position { get; set; }

    public string? Note { get; set; }
}
