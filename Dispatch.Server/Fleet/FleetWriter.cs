using Dispatch.Core.Couriers;
using Dispatch.Server.Redis;
using StackExchange.Redis;

namespace Dispatch.Server.Fleet;

/// <summary>
/// The one writer of the live courier picture in Redis: fixes landed (a flush), a courier's new state (online, load),
/// offline and stale couriers out of their zone. Every write is followed, in the same pipeline, by one message on the
/// courier-moves channel that tells every node (<see cref="ZoneCourierCache"/>).
/// </summary>
internal sealed partial class FleetWriter(IConnectionMultiplexer redis, FleetKeys keys, RedisKeys otherKeys, OnlineCouriers sessions, CourierChanges changes,
    ILogger<FleetWriter> logger)
{
    /// <summary>
    /// Changes how many orders a courier has (assigned, carrying) and writes their state to Redis at once, so dispatch
    /// sees it, and raises the change (<see cref="CourierChanges"/>) for the boards and tracking. For a courier connected to
    /// another node it publishes their id on the courier-orders channel: that node reloads their orders and load.
    /// Called after the change committed in PostgreSQL, so Redis being away does not fail it: the session's counters are
    /// already right, and the courier's next position written (the flush writes the session's state) puts them in Redis.
    /// </summary>
    public async Task ChangeLoadAsync(Guid courierId, int activeDelta, int carryingDelta)
    {
        var session = sessions.Find(courierId);
        try
        {
            if (session is null)
            {
                await redis.GetSubscriber().PublishAsync(otherKeys.CourierOrders(), courierId.ToString("N"));
                return;
            }
            CourierSnapshot? snapshot;
            lock (session.Sync)
            {
                session.ActiveOrders = Math.Max(0, session.ActiveOrders + activeDelta);
                session.CarryingOrders = Math.Max(0, session.CarryingOrders + carryingDelta);
                snapshot = session.Online ? session.ToSnapshot() : null;
            }
            if (snapshot is null) return;
            await SaveAsync(snapshot);
            changes.Raise(snapshot);
        }
        catch (Exception ex) when (Common.DependencyDown.Of(ex) == Common.DependencyDown.Redis)
        {
            if (session is null) LogReloadNotAsked(logger, courierId, ex.Message);
            else LogLoadNotWritten(logger, courierId, ex.Message);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Courier {CourierId}: load changed while Redis was away; their next position written carries it ({Reason})")]
    private static partial void LogLoadNotWritten(ILogger logger, Guid courierId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Courier {CourierId}: orders changed while Redis was away; the node holding their session was not told and reloads them when they next go online ({Reason})")]
    private static partial void LogReloadNotAsked(ILogger logger, Guid courierId, string reason);
}
