using Dispatch.Core.Orders;

namespace Dispatch.Core.Contracts;

/// <summary>One step of an order's timeline.</summary>
public sealed record TimelineEntry(OrderStatus Status, DateTimeOffset At, string Actor, double? Lat, double? Lon, string? Note);

/// <summary>What a tracking-link holder sees when subscribing.</summary>
public sealed record TrackingSnapshot(
    Guid OrderId,
    string OrderNumber,
    OrderStatus Status,
    double PickupLat,
    double PickupLon,
    double DropoffLat,
    double DropoffLon,
    DateTimeOffset PromisedAt,
    string? CourierName,
    string? CourierPhoneMasked,
    CourierPosition? Courier,
    TimelineEntry[] Timeline);

/// <summary>The courier's position for one order; ETA to the drop-off in seconds. Coarse before pickup.</summary>
public sealed record CourierPosition(Guid OrderId, double Lat, double Lon, DateTimeOffset At, int EtaSeconds, bool Coarse);

/// <summary>An order moved to a new status.</summary>
public sealed record OrderStatusChanged(Guid OrderId, OrderStatus Status, DateTimeOffset At);
