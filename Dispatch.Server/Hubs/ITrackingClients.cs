using Dispatch.Core.Contracts;

namespace Dispatch.Server.Hubs;

/// <summary>
/// The customers watching an order's tracking page, for the features that tell them something (status, route, receipt,
/// stops, arriving). Tracking reads those features, so they reach its clients through this rather than naming the hub;
/// <c>Tracking/TrackingClients</c> implements it over the hub context and the tracking sender.
/// </summary>
internal interface ITrackingClients
{
    /// <summary>
    /// Calls <paramref name="send"/> for this node's watchers directly and, only when another node watches, once for the
    /// rest of the group; nothing is published for an order nobody watches.
    /// </summary>
    Task SendAsync(Guid orderId, Func<ITrackingClient, Task> send);
}
