using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Server.Tracking;

/// <summary>An order a courier is working on, as the live pushes need it.</summary>
public sealed record Assignment(Guid OrderId, LatLon Pickup, LatLon Dropoff, OrderStatus Status);
