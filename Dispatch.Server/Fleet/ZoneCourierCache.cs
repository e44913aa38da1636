using System.Collections.Concurrent;
using Dispatch.Core.Couriers;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dispatch.Server.Fleet;

/// <summary>
/// Every zone's couriers and their states, kept in this node's memory for batch rounds, so a round with thousands of
/// couriers does not read them all from Redis (measured ~12–16 ms of a round's time and most of its Redis traffic).
/// <para>
/// Redis stays the truth. Every write of a courier's place or state (<see cref="FleetWriter"/>: fix flush, accept,
/// going offline, the presence sweep), on whichever node, is followed by one message on the courier-moves channel, and
/// every node applies it here. A zone is read whole from Redis (<see cref="FleetReader.AllInZoneAsync"/>) the first
/// time it is asked for, after the subscription was lost (messages sent meanwhile are gone), and in the background every
/// <see cref="DispatchOptions.ZoneCacheResyncSeconds"/>, which heals anything missed. While a whole read is under way,
/// the couriers messages touch keep what the messages said: a message is newer than, or as new as, what the read saw.
/// </para>
/// </summary>
internal sealed partial class ZoneCourierCache(
    IConnectionMultiplexer redis,
    FleetKeys keys,
    FleetReader locator,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<ZoneCourierCache> logger) : IDisposable
{
    private sealed class ZoneState
    {
        public readonly object Sync = new();
        public readonly Dictionary<Guid, CourierSnapshot> Members = [];

        /// <summary>Members a message added or removed since the running whole read began; null when none runs.</summary>
        public HashSet<Guid>? Touched;

        /// <summary>New states of couriers who were not members (yet) when they came, since the running whole read began.</summary>
        public Dictionary<Guid, CourierSnapshot>? LateStates;

        public bool Synced;
        public DateTimeOffset SyncedAt;
        public Task? SyncTask;
    }

    private readonly ConcurrentDictionary<string, ZoneState> _zones = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private volatile bool _subscribed;

    /// <summary>Raised by every loss of the connection: a whole read that began before it may have missed messages.</summary>
    private int _epoch;

    /// <summary>Raised after each message is applied (tests wait on it).</summary>
    public event Action? Applied;

    /// <summary>Every courier in the zone's geo set with their state, as this node last heard; read from Redis when it has not heard reliably.</summary>
    public async Task<IReadOnlyList<CourierSnapshot>> AllInZoneAsync(string zone)
    {
        await SubscribeAsync();
        var state = _zones.GetOrAdd(zone, _ => new ZoneState());
        bool synced;
        lock (state.Sync) synced = state.Synced;
        if (!synced) await ResyncAsync(zone);
        else if (clock.GetUtcNow() - state.SyncedAt > TimeSpan.FromSeconds(options.Value.ZoneCacheResyncSeconds)) _ = ResyncInBackgroundAsync(zone);
        lock (state.Sync) return [.. state.Members.Values];
    }

    /// <summary>Reads the zone whole from Redis and makes it this node's picture (couriers messages changed meanwhile keep what those said).</summary>
    public async Task ResyncAsync(string zone)
    {
        var state = _zones.GetOrAdd(zone, _ => new ZoneState());
        Task running;
        lock (state.Sync)
        {
            running = state.SyncTask ??= ReadWholeAsync(zone, state);
        }
        await running;
    }

    private async Task ResyncInBackgroundAsync(string zone)
    {
        try
        {
            await ResyncAsync(zone);
        }
        catch (Exception ex)
        {
            // Nobody awaits this read: whatever went wrong is logged, and the next round starts it again.
            LogResyncFailed(logger, zone, ex);
        }
    }

    private async Task ReadWholeAsync(string zone, ZoneState state)
    {
        await Task.Yield(); // the caller's lock is released before the read starts
        try
        {
            var started = clock.GetUtcNow();
            var epoch = Volatile.Read(ref _epoch);
            lock (state.Sync)
            {
                state.Touched = [];
                state.LateStates = [];
            }
            var whole = await locator.AllInZoneAsync(zone);
            lock (state.Sync)
            {
                var touched = state.Touched!;
                var kept = state.Members.Where(m => touched.Contains(m.Key)).ToList();
                state.Members.Clear();
                foreach (var s in whole)
                {
                    if (!touched.Contains(s.CourierId)) state.Members[s.CourierId] = state.LateStates!.GetValueOrDefault(s.CourierId) ?? s;
                }
                foreach (var (id, s) in kept) state.Members[id] = s;
                state.Synced = _subscribed && epoch == Volatile.Read(ref _epoch);
                state.SyncedAt = started;
            }
        }
        finally
        {
            lock (state.Sync)
            {
                state.Touched = null;
                state.LateStates = null;
                state.SyncTask = null;
            }
        }
    }

    private async Task SubscribeAsync()
    {
        if (_subscribed) return;
        await _subscribing.WaitAsync();
        try
        {
            if (_subscribed) return;
            var queue = await redis.GetSubscriber().SubscribeAsync(keys.CourierMoves());
            queue.OnMessage(message => Apply(message.Message));
            // Messages sent while the connection was down are lost: every zone is read whole again before it is used.
            redis.ConnectionFailed += (_, _) => Unsync();
            redis.ConnectionRestored += (_, _) => Unsync();
            _subscribed = true;
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private void Unsync()
    {
        Interlocked.Increment(ref _epoch);
        foreach (var state in _zones.Values)
        {
            lock (state.Sync) state.Synced = false;
        }
    }

    private void Apply(RedisValue message)
    {
        List<(CourierChange Change, Guid CourierId, string Zone, CourierSnapshot? State)> moves;
        try
        {
            moves = CourierMovesCodec.Decode((ReadOnlyMemory<byte>)message);
        }
        catch (MessagePack.MessagePackSerializationException ex)
        {
            // Not ours to fix here; the next whole read of each zone puts it right.
            LogBadMessage(logger, ex);
            Unsync();
            return;
        }
        foreach (var (change, id, zone, snapshot) in moves)
        {
            var state = _zones.GetOrAdd(zone, _ => new ZoneState());
            lock (state.Sync)
            {
                switch (change)
                {
                    case CourierChange.Moved when snapshot is not null:
                        state.Members[id] = snapshot;
                        state.Touched?.Add(id);
                        break;
                    case CourierChange.State when snapshot is not null:
                        if (state.Members.ContainsKey(id)) state.Members[id] = snapshot;
                        if (state.LateStates is { } late) late[id] = snapshot;
                        break;
                    case CourierChange.Left:
                        state.Members.Remove(id);
                        state.Touched?.Add(id);
                        break;
                }
            }
        }
        Applied?.Invoke();
    }

    public void Dispose() => _subscribing.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background re-read of zone {Zone}'s couriers from Redis failed; the next round retries")]
    private static partial void LogResyncFailed(ILogger logger, string zone, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A courier-moves message could not be read; every zone is read whole from Redis before its next use")]
    private static partial void LogBadMessage(ILogger logger, Exception ex);
}
