using Dispatch.Core.Contracts;
using Dispatch.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Server.Tracking;

/// <summary>The tracking hub's clients behind <see cref="ITrackingClients"/>: an order's watchers are its group (<see cref="TrackingGroups"/>).</summary>
internal sealed class TrackingClients(IHubContext<TrackingHub, ITrackingClient> hub, TrackingSender sender) : ITrackingClients
{
    public ITrackingClient Order(Guid orderId) => hub.Clients.Group(TrackingGroups.Order(orderId));

    public Task SendAsync(Guid orderId, Func<ITrackingClient, Task> send) => sender.SendAsync(orderId, send);
}
