using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Routing;

namespace Dispatch.Server.Tracking;

/// <summary>
/// An order a courier is working on, as the live pushes need it: its stops, status, and the planned road route
/// (null until one is planned, or when the zone has no road network), and what this node already asked for.
/// </summary>
public sealed record Assignment(Guid OrderId, LatLon Pickup, LatLon Dropoff, OrderStatus Status, RouteTrack? Route = null, DateTimeOffset RerouteAskedAt = default, Milestone MilestonesAsked = Milestone.None);
