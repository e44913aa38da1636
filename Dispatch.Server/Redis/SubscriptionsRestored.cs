using System.Threading.Channels;
using StackExchange.Redis;

namespace Dispatch.Server.Redis;

/// <summary>
/// Tells when this node's Redis subscriptions are live again after an outage, on its own connection and the backplane's.
/// Until then a <c>PUBLISH</c> from another node (or from this node's relay) can succeed and reach nobody here, so what was
/// pushed meanwhile has to be sent again once this says so. StackExchange.Redis sends the resubscriptions on a connection
/// before raising <c>ConnectionRestored</c> for it, so a round trip on each subscription connection afterwards (a subscriber
/// <c>PING</c> goes on that connection) answers only once Redis has taken them. It also keeps when Redis last came back
/// (<see cref="UpSince"/>): a Redis that restarted empty holds no positions until each node writes its couriers back.
/// </summary>
internal sealed partial class SubscriptionsRestored(IConnectionMultiplexer redis, BackplaneConnections backplane, TimeProvider clock, ILogger<SubscriptionsRestored> logger)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);
    private readonly Lock _gate = new();
    private readonly List<IConnectionMultiplexer> _connections = [];
    private readonly HashSet<(object Connection, ConnectionType Type)> _down = [];
    private readonly Channel<bool> _returned = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TimeProvider _clock = clock;
    private int _started;
    private long _upSinceTicks = clock.GetUtcNow().UtcTicks;

    /// <summary>
    /// When a connection of this node's last came back from an outage, or this node started if none has: before then this
    /// node cannot vouch that what Redis holds (positions) was not lost with it.
    /// </summary>
    public DateTimeOffset UpSince
    {
        get
        {
            // A connection down now: whatever Redis holds when it answers again is not vouched for yet.
            lock (_gate)
            {
                if (_down.Count > 0) return _clock.GetUtcNow();
            }
            return new(Interlocked.Read(ref _upSinceTicks), TimeSpan.Zero);
        }
    }

    /// <summary>Starts listening to this node's connection and to each backplane connection as the backplane opens it.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        Listen(redis);
        backplane.Watch(Listen);
    }

    /// <summary>
    /// Waits until every connection that failed has come back and answers on its subscription connection: from then on a
    /// message published reaches this node's subscriptions.
    /// </summary>
    public async ValueTask<bool> WaitAsync(CancellationToken ct)
    {
        while (true)
        {
            await _returned.Reader.ReadAsync(ct);
            if (await ConfirmAsync(ct)) return true;
        }
    }

    private void Listen(IConnectionMultiplexer connection)
    {
        lock (_gate) _connections.Add(connection);
        connection.ConnectionFailed += OnFailed;
        connection.ConnectionRestored += OnRestored;
    }

    private void OnFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (sender is null) return;
        lock (_gate) _down.Add((sender, e.ConnectionType));
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (sender is null) return;
        Interlocked.Exchange(ref _upSinceTicks, _clock.GetUtcNow().UtcTicks);
        bool allBack;
        lock (_gate) allBack = _down.Remove((sender, e.ConnectionType)) && _down.Count == 0;
        if (allBack) _returned.Writer.TryWrite(true);
    }

    private async Task<bool> ConfirmAsync(CancellationToken ct)
    {
        while (true)
        {
            IConnectionMultiplexer[] connections;
            lock (_gate)
            {
                // Down again meanwhile: its return signals again.
                if (_down.Count > 0) return false;
                connections = [.. _connections];
            }
            try
            {
                foreach (var connection in connections) await connection.GetSubscriber().PingAsync();
                return true;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogNotYet(logger, ex.Message);
                await Task.Delay(RetryPause, ct);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is back but a subscription connection does not answer yet ({Reason}); trying again")]
    private static partial void LogNotYet(ILogger logger, string reason);
}
