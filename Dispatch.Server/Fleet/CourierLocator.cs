using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using StackExchange.Redis;

namespace Dispatch.Server.Fleet;

/// <summary>Reads the live courier picture from Redis: nearest couriers by GEOSEARCH, and their states.</summary>
public sealed class CourierLocator(IConnectionMultiplexer redis, FleetKeys keys)
{
    /// <summary>Couriers within <paramref name="radiusMetres"/> of a point, nearest first, with their snapshots (one round trip each).</summary>
    public async Task<IReadOnlyList<Candidate>> NearestAsync(string zone, LatLon point, double radiusMetres, int count)
    {
        var db = redis.GetDatabase();
        var hits = await db.GeoSearchAsync(
            keys.ZoneCouriers(zone), point.Lon, point.Lat, new GeoSearchCircle(radiusMetres, GeoUnit.Meters),
            count, demandClosest: true, order: Order.Ascending, options: GeoRadiusOptions.WithDistance);
        if (hits.Length == 0) return [];
        var states = await db.StringGetAsync([.. hits.Select(h => keys.CourierState(Guid.ParseExact(h.Member.ToString(), "N")))]);
        var result = new List<Candidate>(hits.Length);
        for (var i = 0; i < hits.Length; i++)
        {
            var snapshot = SnapshotCodec.Decode(states[i]);
            if (snapshot is not null) result.Add(new Candidate(snapshot, hits[i].Distance ?? 0));
        }
        return result;
    }

    /// <summary>
    /// <see cref="NearestAsync"/> for many points at once: the GEOSEARCHes in pipelined batches, then one MGET of the
    /// distinct couriers found, each snapshot decoded once — three round trips however many points. Answers in the points' order.
    /// </summary>
    /// <remarks>
    /// Redis pays for every courier inside a circle, so in a dense zone a wide first ring is expensive for the
    /// <paramref name="count"/> it returns. Each point is searched in a quarter of the radius first: when that holds
    /// <paramref name="count"/> couriers, they are the <paramref name="count"/> nearest within the full radius too (every
    /// courier outside the small circle is farther than all of them), so only the points where it does not are searched again
    /// in the full radius. The answer is the same as <see cref="NearestAsync"/>'s.
    /// </remarks>
    public async Task<IReadOnlyList<Candidate>[]> NearestManyAsync(string zone, IReadOnlyList<LatLon> points, double radiusMetres, int count)
    {
        var db = redis.GetDatabase();
        var hits = await SearchAsync(db, zone, points, radiusMetres / 4, count);
        var again = Enumerable.Range(0, points.Count).Where(i => hits[i].Length < count).ToList();
        if (again.Count > 0)
        {
            var wide = await SearchAsync(db, zone, [.. again.Select(i => points[i])], radiusMetres, count);
            for (var k = 0; k < again.Count; k++) hits[again[k]] = wide[k];
        }

        var slotOf = new Dictionary<RedisValue, int>();
        var stateKeys = new List<RedisKey>();
        foreach (var hit in hits.SelectMany(h => h))
        {
            if (slotOf.TryAdd(hit.Member, stateKeys.Count)) stateKeys.Add(keys.CourierState(Guid.ParseExact(hit.Member.ToString(), "N")));
        }
        var states = stateKeys.Count == 0 ? [] : await db.StringGetAsync([.. stateKeys]);
        var snapshots = Array.ConvertAll(states, s => SnapshotCodec.Decode(s));

        var result = new IReadOnlyList<Candidate>[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var list = new List<Candidate>(hits[i].Length);
            foreach (var hit in hits[i])
            {
                if (snapshots[slotOf[hit.Member]] is { } snapshot) list.Add(new Candidate(snapshot, hit.Distance ?? 0));
            }
            result[i] = list;
        }
        return result;
    }

    /// <summary>One pipelined batch of GEOSEARCH (nearest first, with distances), one per point.</summary>
    private async Task<GeoRadiusResult[][]> SearchAsync(IDatabase db, string zone, IReadOnlyList<LatLon> points, double radiusMetres, int count)
    {
        var key = keys.ZoneCouriers(zone);
        var batch = db.CreateBatch();
        var searches = new Task<GeoRadiusResult[]>[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            searches[i] = batch.GeoSearchAsync(key, points[i].Lon, points[i].Lat, new GeoSearchCircle(radiusMetres, GeoUnit.Meters),
                count, demandClosest: true, order: Order.Ascending, options: GeoRadiusOptions.WithDistance);
        }
        batch.Execute();
        return await Task.WhenAll(searches);
    }

    /// <summary>
    /// Every courier currently in a zone's geo set, with their state, in the set's order: a zone read whole
    /// (<see cref="ZoneCourierCache"/> on first use and every few tens of seconds; a board that just opened).
    /// </summary>
    public async Task<IReadOnlyList<CourierSnapshot>> AllInZoneAsync(string zone)
    {
        var db = redis.GetDatabase();
        var members = await db.SortedSetRangeByRankAsync(keys.ZoneCouriers(zone));
        if (members.Length == 0) return [];
        var states = await db.StringGetAsync([.. members.Select(m => keys.CourierState(Guid.ParseExact(m.ToString(), "N")))]);
        return [.. states.Select(s => SnapshotCodec.Decode(s)).OfType<CourierSnapshot>()];
    }

    public async Task<CourierSnapshot?> GetAsync(Guid courierId) =>
        SnapshotCodec.Decode(await redis.GetDatabase().StringGetAsync(keys.CourierState(courierId)));

    /// <summary>Each courier's state as Redis holds it, in the order asked (null: never seen), in one MGET.</summary>
    public async Task<CourierSnapshot?[]> GetManyAsync(IReadOnlyList<Guid> courierIds)
    {
        if (courierIds.Count == 0) return [];
        var states = await redis.GetDatabase().StringGetAsync([.. courierIds.Select(keys.CourierState)]);
        return [.. states.Select(s => SnapshotCodec.Decode(s))];
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
