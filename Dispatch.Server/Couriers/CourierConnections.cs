using System.Collections.Concurrent;
using Dispatch.Core.Contracts;
using Dispatch.Server.Redis;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace Dispatch.Server.Couriers;

/// <summary>
/// The courier hub connections open on this node, by courier, and the eviction of a suspended courier: whichever node the
/// admin's request reached publishes the courier's id, and the node holding their connections takes them offline (so its
/// fix flush stops putting them back in the geo set), tells each connection why and closes it.
/// </summary>
internal sealed partial class CourierConnections(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IServiceProvider services,
    IHubContext<CourierHub, ICourierClient> hub,
    ILogger<CourierConnections> logger) : IHostedService, IDisposable
{
    /// <summary>On a suspension's answer when Redis was unreachable (value <c>deferred</c>): the courier's connections close once it returns.</summary>
    public const string EvictionHeader = "X-Eviction";

    // By connection id, one entry per connection: a dictionary per courier cost ~0.6 KB per idle connection and stayed behind
    // empty after they left. An eviction (rare: an admin's suspension) scans them all.
    private readonly ConcurrentDictionary<string, OpenConnection> _open = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _subscribing = Task.CompletedTask;

    public void Opened(Guid courierId, HubCallerContext context) => _open[context.ConnectionId] = new OpenConnection(courierId, context);

    public void Closed(string connectionId) => _open.TryRemove(connectionId, out _);

    /// <summary>The courier connections open on this node.</summary>
    public IReadOnlyList<OpenConnection> All => [.. _open.Values];

    /// <summary>Asks every node (this one too) to take the courier offline and close their connections.</summary>
    public Task EvictAsync(Guid courierId) =>
        redis.GetSubscriber().PublishAsync(keys.CourierEvictions(), courierId.ToString("N"));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Not awaited: the node starts while Redis is down and subscribes once it answers.
        _subscribing = SubscribeAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    private async Task SubscribeAsync(CancellationToken ct)
    {
        ChannelMessageQueue queue;
        try
        {
            queue = await ChannelSubscriber.SubscribeAsync(redis, keys.CourierEvictions(), logger, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        queue.OnMessage(async message =>
        {
            if (!Guid.TryParseExact(message.Message.ToString(), "N", out var courierId)) return;
            try
            {
                await EvictHereAsync(courierId);
            }
            catch (Exception ex)
            {
                // The admin's request already stored the suspension; GoOnline refuses them from now on whatever happens here.
                LogEvictionFailed(logger, courierId, ex);
            }
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _subscribing;
        if (redis.IsConnected) await redis.GetSubscriber().UnsubscribeAsync(keys.CourierEvictions());
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>Takes the courier offline and closes their connections on this node (an eviction heard, or found after a Redis outage).</summary>
    public async Task EvictHereAsync(Guid courierId)
    {
        var connections = _open.Values.Where(c => c.CourierId == courierId).ToList();
        if (connections.Count == 0) return;
        // Resolved here: the presence coordinator depends (through dispatch) on far more than this registry should.
        await services.GetRequiredService<PresenceCoordinator>().GoOfflineAsync(courierId, CancellationToken.None);
        foreach (var (_, context) in connections)
        {
            await hub.Clients.Client(context.ConnectionId).SessionEnded(new SessionEndedMessage("An admin suspended you, so you were taken offline. Contact the operator."));
            context.Abort();
        }
        LogEvicted(logger, courierId, connections.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Suspended courier {CourierId} taken offline; {Connections} connection(s) closed")]
    private static partial void LogEvicted(ILogger logger, Guid courierId, int connections);

    [LoggerMessage(Level = LogLevel.Error, Message = "Taking suspended courier {CourierId} offline failed")]
    private static partial void LogEvictionFailed(ILogger logger, Guid courierId, Exception ex);
}
