using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Matching;

/// <summary>What dispatch needs to know about an order to pick couriers.</summary>
public sealed record DispatchRequest(Guid OrderId, OrderKind Kind, bool RequiresColdChain, LatLon Pickup, IReadOnlySet<Guid> AlreadyOffered);
