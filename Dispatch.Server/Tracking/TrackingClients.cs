using Dispatch.Core.Contracts;
using Dispatch.Server.Hubs;

namespace Dispatch.Server.Tracking;

/// <summary>The tracking hub's clients behind <see cref="ITrackingClients"/>: every push to an order's watchers goes through <see cref="TrackingSender"/>.</summary>
internal sealed class TrackingClients(TrackingSender sender) : ITrackingClients
{
    public Task SendAsync(Guid orderId, Func<ITrackingClient, Task> send) => sender.SendAsync(orderId, send);
}
