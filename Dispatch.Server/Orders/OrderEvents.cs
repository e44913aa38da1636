using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Tracking;
using Dispatch.Server.Persistence;
using NetTopologySuite.Geometries;

namespace Dispatch.Server.Orders;

/// <summary>Builds order_events rows and timeline entries.</summary>
internal static class OrderEvents
{
    /// <summary>The actor of what a customer does through the tracking link (a rating, a receipt decision).</summary>
    public const string CustomerLinkActor = "customer:tracking-link";

    private static readonly GeometryFactory Geography = new(new PrecisionModel(), 4326);

    public static OrderEventRecord Create(Guid orderId, OrderStatus status, DateTimeOffset at, string actor, LatLon? position = null, string? note = null) => new()
    {
        OrderId = orderId,
        Status = status,
        At = at,
        Actor = actor,
        Position = position is { } p ? ToPoint(p) : null,
        Note = note,
    };

    public static Point ToPoint(LatLon p) => Geography.CreatePoint(new Coordinate(p.Lon, p.Lat));

    public static LatLon ToLatLon(Point p) => new(p.Y, p.X);

    public static TimelineEntry ToEntry(OrderEventRecord e) =>
        new(e.Status, e.At, e.Actor, e.Position?.Y, e.Position?.X, e.Note);

    /// <summary>What the customer view may read of a row: no actor, no position.</summary>
    public static TimelineEvent ToEvent(OrderEventRecord e) => new(e.Status, e.At, e.Note);
}
