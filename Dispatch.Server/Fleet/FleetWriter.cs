using Dispatch.Core.Couriers;
using Dispatch.Server.Redis;
using StackExchange.Redis;

namespace Dispatch.Server.Fleet;

/// <summary>
/// The one writer of the live courier picture in Redis: fixes landed (a flush), a courier's new state (online, load),
/// offline and stale couriers out of their zone. Every write is followed, in the same pipeline, by one message on the
/// courier-moves channel that tells every node (<see cref="ZoneCourierCache"/>).
/// </summary>
internal sealed class FleetWriter(IConnectionMultiplexer redis, FleetKeys keys, RedisKeys otherKeys)
{
    /// <summary>
    /// The Redis side of couriers' orders changing (the outbox relay's courier-load consumer), as one pipeline: the state of
    /// each courier whose session is here (their load read from PostgreSQL), and, for each courier held elsewhere or nowhere,
    /// their id on the courier-orders channel, so the node holding their session reloads them. Throws when Redis is away:
    /// the caller is the outbox relay, which hands the batch over again.
    /// </summary>
    public Task WriteLoadsAsync(IReadOnlyCollection<CourierSnapshot> states, IReadOnlyCollection<Guid> elsewhere)
    {
        if (states.Count == 0 && elsewhere.Count == 0) return Task.CompletedTask;
        var batch = redis.GetDatabase().CreateBatch();
        var pending = new List<Task>(states.Count + elsewhere.Count + 1);
        var told = new List<CourierMove>(states.Count);
        foreach (var snapshot in states)
        {
            var state = SnapshotCodec.Encode(snapshot);
            pending.Add(batch.StringSetAsync(keys.CourierState(snapshot.CourierId), state));
            told.Add(new CourierMove(CourierChange.State, snapshot.CourierId, snapshot.Zone, state));
        }
        var channel = otherKeys.CourierOrders();
        foreach (var courierId in elsewhere) pending.Add(batch.PublishAsync(channel, courierId.ToString("N")));
        if (told.Count > 0) return RunAndTellAsync(batch, pending, told);
        batch.Execute();
        return Task.WhenAll(pending);
    }

    /// <summary>
    /// Fix intake's write (a whole flush in one pipelined batch): each moved courier into their zone's geo set, their state
    /// and last-seen; out of the zone they left, if any; and, last in the same pipeline, one message on the courier-moves
    /// channel that tells every node (<see cref="ZoneCourierCache"/>). Redis runs a connection's commands in order, so a
    /// node that hears it and reads Redis finds the writes there.
    /// </summary>
    public async Task WriteMovesAsync(IReadOnlyCollection<(CourierSnapshot Snapshot, string? LeftZone)> moves)
    {
        if (moves.Count == 0) return;
        var batch = redis.GetDatabase().CreateBatch();
        var pending = new List<Task>(moves.Count * 3);
        var told = new List<CourierMove>(moves.Count);
        foreach (var (snapshot, leftZone) in moves)
        {
            var member = FleetKeys.Member(snapshot.CourierId);
            if (leftZone is not null && leftZone != snapshot.Zone)
            {
                pending.Add(batch.SortedSetRemoveAsync(keys.ZoneCouriers(leftZone), member));
                pending.Add(batch.SortedSetRemoveAsync(keys.ZoneLastSeen(leftZone), member));
                told.Add(new CourierMove(CourierChange.Left, snapshot.CourierId, leftZone, null));
            }
            var state = SnapshotCodec.Encode(snapshot);
            pending.Add(batch.GeoAddAsync(keys.ZoneCouriers(snapshot.Zone), snapshot.Lon, snapshot.Lat, member));
            pending.Add(batch.StringSetAsync(keys.CourierState(snapshot.CourierId), state));
            pending.Add(batch.SortedSetAddAsync(keys.ZoneLastSeen(snapshot.Zone), member, snapshot.At.ToUnixTimeMilliseconds()));
            told.Add(new CourierMove(CourierChange.Moved, snapshot.CourierId, snapshot.Zone, state));
        }
        await RunAndTellAsync(batch, pending, told);
    }

    /// <summary>Writes a courier's state now (outside the flush), e.g. after accept changes their load.</summary>
    public Task SaveAsync(CourierSnapshot snapshot)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var state = SnapshotCodec.Encode(snapshot);
        return RunAndTellAsync(batch, [batch.StringSetAsync(keys.CourierState(snapshot.CourierId), state)],
            [new CourierMove(CourierChange.State, snapshot.CourierId, snapshot.Zone, state)]);
    }

    /// <summary>Takes a courier out of the zone's geo set and last-seen set; the state remains, marked offline.</summary>
    public Task RemoveAsync(string zone, CourierSnapshot? offlineState, Guid courierId)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var member = FleetKeys.Member(courierId);
        var pending = new List<Task>
        {
            batch.SortedSetRemoveAsync(keys.ZoneCouriers(zone), member),
            batch.SortedSetRemoveAsync(keys.ZoneLastSeen(zone), member),
        };
        var told = new List<CourierMove> { new(CourierChange.Left, courierId, zone, null) };
        if (offlineState is not null)
        {
            var state = SnapshotCodec.Encode(offlineState);
            pending.Add(batch.StringSetAsync(keys.CourierState(courierId), state));
            told.Add(new CourierMove(CourierChange.State, courierId, offlineState.Zone, state));
        }
        return RunAndTellAsync(batch, pending, told);
    }

    /// <summary>Takes couriers not seen for too long out of a zone (the presence sweep), by their geo-set members.</summary>
    public Task RemoveStaleAsync(string zone, RedisValue[] members)
    {
        var batch = redis.GetDatabase().CreateBatch();
        return RunAndTellAsync(batch,
            [batch.SortedSetRemoveAsync(keys.ZoneCouriers(zone), members), batch.SortedSetRemoveAsync(keys.ZoneLastSeen(zone), members)],
            [.. members.Select(m => new CourierMove(CourierChange.Left, Guid.ParseExact(m.ToString(), "N"), zone, null))]);
    }

    /// <summary>The batch's writes, then the message telling every node of them, as one pipeline: one round trip.</summary>
    private async Task RunAndTellAsync(IBatch batch, List<Task> writes, IReadOnlyCollection<CourierMove> moves)
    {
        writes.Add(batch.PublishAsync(keys.CourierMoves(), CourierMovesCodec.Encode(moves)));
        batch.Execute();
        await Task.WhenAll(writes);
    }
}
