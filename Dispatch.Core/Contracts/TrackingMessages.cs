using Dispatch.Core.Orders;

namespace Dispatch.Core.Contracts;

/// <summary>One step of an order's timeline.</summary>
public sealed record TimelineEntry(OrderStatus Status, DateTimeOffset At, string Actor, double? Lat, double? Lon, string? Note);

/// <summary>
/// One step of an order's timeline as its customer (and the merchant's API view) sees it: customer wording only, never
/// an actor, a dispatch note or a position. Built by <see cref="Tracking.CustomerView"/>.
/// </summary>
public sealed record CustomerTimelineEntry(CustomerStep Step, DateTimeOffset At, string Text);

/// <summary>What a tracking-link holder sees when subscribing. Built by <see cref="Tracking.CustomerView"/> only.</summary>
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
    CustomerTimelineEntry[] Timeline,
    RouteMessage? Route = null,
    BuyForMeView? BuyForMe = null,
    RatingView? Rating = null,
    StopView[]? Stops = null);

/// <summary>The courier's position for one order; ETA to the drop-off in seconds. Coarse before pickup.</summary>
public sealed record CourierPosition(Guid OrderId, double Lat, double Lon, DateTimeOffset At, int EtaSeconds, bool Coarse);

/// <summary>An order moved to a new status.</summary>
public sealed record OrderStatusChanged(Guid OrderId, OrderStatus Status, DateTimeOffset At);

/// <summary>
/// One leg of a route: to the pickup ("pickup"), to a multi-stop errand's stop ("stop 2", numbered from 1) or to the drop-off
/// ("dropoff"). Metres, seconds, and when the courier should get there.
/// </summary>
public sealed record RouteLeg(string To, double DistanceMetres, double DurationSeconds, DateTimeOffset EtaAt);

/// <summary>
/// The courier's planned path on the road network, versioned (a new version on re-route).
/// Path points are [lat, lon] pairs.
/// </summary>
public sealed record RouteMessage(Guid OrderId, int Version, double[][] Path, RouteLeg[] Legs, DateTimeOffset PlannedAt);

/// <summary>Pre-arrival: the courier is about to reach the customer (seconds away by the current ETA).</summary>
public sealed record CourierArriving(Guid OrderId, int EtaSeconds, DateTimeOffset At);
