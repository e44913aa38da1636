using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using StackExchange.Redis;

namespace Dispatch.Server.Fleet;

/// <summary>
/// The one reader of the live courier picture in Redis: nearest couriers by GEOSEARCH, a zone's couriers, a courier's state
/// (position, zone, load, activity). Writes are <see cref="FleetWriter"/>'s.
/// </summary>
internal sealed class FleetReader(IConnectionMultiplexer redis, FleetKeys keys)
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

    /// <summary>The couriers in a zone's last-seen set (online and not yet swept), in no particular order.</summary>
    public async Task<IReadOnlyList<Guid>> SeenInZoneAsync(string zone) =>
        [.. (await redis.GetDatabase().SortedSetRangeByRankAsync(keys.ZoneLastSeen(zone))).Select(m => Guid.ParseExact(m.ToString(), "N"))];

    public async Task<CourierSnapshot?> GetAsync(Guid courierId) =>
        SnapshotCodec.Decode(await redis.GetDatabase().StringGetAsync(keys.CourierState(courierId)));

    /// <summary>Each courier's state as Redis holds it, in the order asked (null: never seen), in one MGET.</summary>
    public async Task<CourierSnapshot?[]> GetManyAsync(IReadOnlyList<Guid> courierIds)
    {
        if (courierIds.Count == 0) return [];
        var states = await redis.GetDatabase().StringGetAsync([.. courierIds.Select(keys.CourierState)]);
        return [.. states.Select(s => SnapshotCodec.Decode(s))];
    }
}
