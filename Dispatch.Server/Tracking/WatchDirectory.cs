using System.Collections.Concurrent;
using System.Diagnostics;
using Dispatch.Server.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dispatch.Server.Tracking;

/// <summary>
/// Which nodes have a customer watching an order, in Redis: one sorted set per order of node id → until (unix ms), renewed
/// by <see cref="WatchDirectoryService"/> every third of <see cref="DispatchOptions.TrackingWatchSeconds"/>, so a dead
/// node's marks run out. A push asks <see cref="OthersWatchAsync"/>: only when another node watches does it go through the
/// backplane. Answers are cached per order for a renewal period and corrected at once by the watch-added channel, which a
/// node publishes on before its customer's Subscribe returns.
/// </summary>
internal sealed class WatchDirectory(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider clock, IOptions<DispatchOptions> options)
{
    // Per order: whether another node watches, as known at Stamp (Stopwatch ticks). The newest knowledge wins.
    private readonly ConcurrentDictionary<Guid, Known> _known = new();
    private volatile bool _listening;

    /// <summary>This process in the directory: new at every start.</summary>
    public string Node { get; } = Guid.NewGuid().ToString("N");

    public TimeSpan Lease => TimeSpan.FromSeconds(options.Value.TrackingWatchSeconds);

    public TimeSpan RenewEvery => Lease / 3;

    /// <summary>Marks this node as watching the order and tells the other nodes, before the customer's Subscribe returns.</summary>
    public async Task AddAsync(Guid orderId)
    {
        await MarkAsync(redis.GetDatabase(), orderId);
        await redis.GetSubscriber().PublishAsync(keys.WatchAdded(), $"{orderId:N}:{Node}");
    }

    /// <summary>This node's last watcher of these orders left.</summary>
    public async Task RemoveAsync(IReadOnlyCollection<Guid> orderIds)
    {
        if (orderIds.Count == 0) return;
        var db = redis.GetDatabase();
        await Task.WhenAll(orderIds.Select(id => db.SortedSetRemoveAsync(keys.OrderWatchers(id), Node)));
    }

    /// <summary>Renews this node's marks (one pipelined batch) and drops stale cached answers.</summary>
    public async Task RenewAsync(IReadOnlyCollection<Guid> orderIds)
    {
        var stale = Stopwatch.GetTimestamp() - 2 * (long)(RenewEvery.TotalSeconds * Stopwatch.Frequency);
        foreach (var (orderId, known) in _known)
        {
            if (known.Stamp < stale) _known.TryRemove(new KeyValuePair<Guid, Known>(orderId, known));
        }
        if (orderIds.Count == 0) return;
        var batch = redis.GetDatabase().CreateBatch();
        var marks = orderIds.Select(id => MarkAsync(batch, id)).ToList();
        batch.Execute();
        await Task.WhenAll(marks);
    }

    /// <summary>Whether a node other than this one has a customer watching the order (a Redis read only when not cached).</summary>
    public async Task<bool> OthersWatchAsync(Guid orderId) => Cached(orderId) ?? await ReadAsync(orderId, Stopwatch.GetTimestamp());

    /// <summary>The cached answer of <see cref="OthersWatchAsync"/>, if fresh (younger than a renewal period).</summary>
    public bool? Cached(Guid orderId) =>
        _known.TryGetValue(orderId, out var known) && Stopwatch.GetElapsedTime(known.Stamp) < RenewEvery ? known.Others : null;

    /// <summary>A watch-added message ("order:node") from any node.</summary>
    public void Heard(RedisValue message)
    {
        var text = message.ToString();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !Guid.TryParseExact(text.AsSpan(0, colon), "N", out var orderId) || text.AsSpan(colon + 1).SequenceEqual(Node)) return;
        Learn(orderId, new Known(true, Stopwatch.GetTimestamp()));
    }

    /// <summary>
    /// Whether the watch-added channel is heard. Answers read from Redis are cached only while it is: a watcher added while
    /// nobody listens would otherwise be hidden by a cached "no other node" until it ran out.
    /// </summary>
    public void Listening(bool on)
    {
        _listening = on;
        if (!on) _known.Clear();
    }

    private async Task<bool> ReadAsync(Guid orderId, long stamp)
    {
        var until = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var nodes = await redis.GetDatabase().SortedSetRangeByScoreAsync(keys.OrderWatchers(orderId), until, double.PositiveInfinity);
        var others = nodes.Any(n => n != Node);
        if (_listening) Learn(orderId, new Known(others, stamp));
        return others;
    }

    private void Learn(Guid orderId, Known known) => _known.AddOrUpdate(orderId, known, (_, old) => old.Stamp > known.Stamp ? old : known);

    // One node's mark: its until time, the key kept for a lease past the newest mark, and marks of dead nodes swept.
    private Task MarkAsync(IDatabaseAsync db, Guid orderId)
    {
        var key = keys.OrderWatchers(orderId);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return Task.WhenAll(
            db.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, now),
            db.SortedSetAddAsync(key, Node, now + (long)Lease.TotalMilliseconds),
            db.KeyExpireAsync(key, Lease));
    }

    private readonly record struct Known(bool Others, long Stamp);
}
