using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Matching;
using StackExchange.Redis;

namespace Dispatch.Server.Redis;

/// <summary>Reads the live courier picture from Redis: nearest couriers by GEOSEARCH, and their states.</summary>
public sealed class CourierLocator(IConnectionMultiplexer redis, RedisKeys keys)
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

    /// <summary>Every courier currently in a zone's geo set, with their state (for a board that just opened).</summary>
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

    /// <summary>Writes a courier's state now (outside the flush), e.g. after accept changes their load.</summary>
    public Task SaveAsync(CourierSnapshot snapshot) =>
        redis.GetDatabase().StringSetAsync(keys.CourierState(snapshot.CourierId), SnapshotCodec.Encode(snapshot));

    /// <summary>Takes a courier out of the zone's geo set and last-seen set; the state remains, marked offline.</summary>
    public async Task RemoveAsync(string zone, CourierSnapshot? offlineState, Guid courierId)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var member = RedisKeys.Member(courierId);
        var tasks = new List<Task>
        {
            batch.SortedSetRemoveAsync(keys.ZoneCouriers(zone), member),
            batch.SortedSetRemoveAsync(keys.ZoneLastSeen(zone), member),
        };
        if (offlineState is not null) tasks.Add(batch.StringSetAsync(keys.CourierState(courierId), SnapshotCodec.Encode(offlineState)));
        batch.Execute();
        await Task.WhenAll(tasks);
    }
}
