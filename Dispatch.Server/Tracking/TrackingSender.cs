using Dispatch.Core.Contracts;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace Dispatch.Server.Tracking;

/// <summary>
/// Sends to the customers watching an order. Watchers on this node are written directly (the backplane's
/// <c>SendConnectionAsync</c> writes a local connection without Redis); only when another node has a watcher
/// (<see cref="WatchDirectory"/>) does the push also go to the order's group through the backplane, excluding this node's
/// watchers so nobody gets it twice. Watchers join through <see cref="WatchAsync"/>, which keeps the group, this node's
/// list and the directory in step.
/// </summary>
internal sealed partial class TrackingSender(
    IHubContext<TrackingHub, ITrackingClient> tracking,
    LocalWatchers watchers,
    WatchDirectory directory,
    ILogger<TrackingSender> logger)
{
    /// <summary>The connection (on this node) watches the order from now on: every later push reaches it, on whichever node it is sent.</summary>
    public async Task WatchAsync(string connectionId, Guid orderId, CancellationToken ct)
    {
        await tracking.Groups.AddToGroupAsync(connectionId, TrackingGroups.Order(orderId), ct);
        if (watchers.Add(connectionId, orderId)) await directory.AddAsync(orderId);
        // Gone while subscribing: its disconnect may have run before the add above.
        if (ct.IsCancellationRequested) await LeaveAsync(connectionId);
    }

    /// <summary>The connection closed: this node's watch marks go for the orders nobody else here watches.</summary>
    public async Task LeaveAsync(string connectionId)
    {
        var emptied = watchers.Remove(connectionId);
        try
        {
            await directory.RemoveAsync(emptied);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The marks run out after Dispatch:TrackingWatchSeconds; meanwhile other nodes publish pushes nobody here takes.
            LogLeaveFailed(logger, emptied.Count, ex);
        }
    }

    /// <summary>Calls <paramref name="send"/> once per local watcher and, when another node watches, once for the rest of the group.</summary>
    public Task SendAsync(Guid orderId, Func<ITrackingClient, Task> send)
    {
        var local = watchers.Of(orderId);
        if (directory.Cached(orderId) == false) return local.Length switch
        {
            0 => Task.CompletedTask,
            1 => send(tracking.Clients.Client(local[0])),
            _ => Task.WhenAll(local.Select(id => send(tracking.Clients.Client(id)))),
        };
        return SendAlsoRemoteAsync(orderId, local, send);
    }

    private async Task SendAlsoRemoteAsync(Guid orderId, string[] local, Func<ITrackingClient, Task> send)
    {
        var sends = new List<Task>(local.Length + 1);
        foreach (var id in local) sends.Add(send(tracking.Clients.Client(id)));
        try
        {
            if (await directory.OthersWatchAsync(orderId))
            {
                var group = TrackingGroups.Order(orderId);
                sends.Add(send(local.Length == 0 ? tracking.Clients.Group(group) : tracking.Clients.GroupExcept(group, local)));
            }
        }
        finally
        {
            await Task.WhenAll(sends);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove this node's tracking watch marks of {Orders} orders; they expire by themselves")]
    private static partial void LogLeaveFailed(ILogger logger, int orders, Exception ex);
}
