using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dispatch.Core.Streets;
using Dispatch.Core.Zones;
using Dispatch.Server.Redis;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using StackExchange.Redis;

namespace Dispatch.Server.Streets;

/// <summary>
/// Street tiles for the maps: from this node's memory, else Redis (shared by the nodes), else PostGIS. Cached tiles are
/// keyed by a stamp of the imported networks (zone, road count, last id), so importing a network again serves new tiles
/// within <see cref="StampSeconds"/>. Concurrent requests for one cold tile share one query.
/// </summary>
internal sealed partial class StreetTiles(NpgsqlDataSource db, ZoneMap zones, IConnectionMultiplexer redis, RedisKeys keys, TimeProvider clock, ILogger<StreetTiles> logger) : IDisposable
{
    /// <summary>How long the networks' stamp is trusted before it is read again, seconds.</summary>
    public const int StampSeconds = 60;

    /// <summary>Bytes of tiles this node keeps in memory (a city's streets down to zoom 17 fit several times over).</summary>
    public const long MemoryBytes = 64L << 20;

    /// <summary>How long Redis keeps a tile; a new import changes the stamp, so older keys only wait to expire.</summary>
    private static readonly TimeSpan RedisLifetime = TimeSpan.FromDays(1);

    /// <summary>A tile's bytes (an MVT; empty when no street falls in it), its strong ETag and where it came from.</summary>
    public sealed record Tile(byte[] Bytes, string ETag, string Source);

    private static readonly Tile Empty = new([], ETagOf([]), "none");

    private readonly MemoryCache _memory = new(new MemoryCacheOptions { SizeLimit = MemoryBytes });
    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _loading = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _stampGate = new(1, 1);
    private (string Stamp, List<(string Zone, string Schema)> Networks, DateTimeOffset ReadAt)? _networks;

    public async Task<Tile> GetAsync(StreetTile tile, CancellationToken ct)
    {
        var covering = zones.All.Where(z => ZoneRules.CheckName(z.Name) is null
            && StreetTileRules.Covers(tile, z.Envelope.MinX, z.Envelope.MinY, z.Envelope.MaxX, z.Envelope.MaxY)).Select(z => z.Name).ToHashSet(StringComparer.Ordinal);
        if (covering.Count == 0) return Empty; // outside every zone or too far out: no query at all
        var (stamp, networks, _) = await NetworksAsync(ct);
        var schemas = networks.Where(n => covering.Contains(n.Zone)).Select(n => n.Schema).ToList();
        if (schemas.Count == 0) return Empty;

        var key = $"{stamp}:{tile}";
        if (_memory.TryGetValue(key, out Tile? held) && held is not null) return held with { Source = "memory" };
        var shared = await FromRedisAsync(stamp, tile);
        if (shared is not null) return Remember(key, shared, "redis");

        var load = _loading.GetOrAdd(key, _ => new Lazy<Task<byte[]>>(() => QueryAsync(stamp, tile, schemas)));
        try
        {
            var bytes = await load.Value.WaitAsync(ct);
            return Remember(key, bytes, "database");
        }
        finally
        {
            _loading.TryRemove(new KeyValuePair<string, Lazy<Task<byte[]>>>(key, load));
        }
    }

    // Not cancelled by the first caller's token: other requests may be waiting on the same query.
    private async Task<byte[]> QueryAsync(string stamp, StreetTile tile, List<string> schemas)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = await db.OpenConnectionAsync(timeout.Token);
        var bytes = await StreetTileQuery.RunAsync(connection, schemas, tile, timeout.Token);
        try
        {
            await redis.GetDatabase().StringSetAsync(keys.StreetTile(stamp, tile.ToString()), bytes, RedisLifetime);
        }
        catch (RedisException ex)
        {
            LogRedisFailed(logger, tile.ToString(), ex.Message);
        }
        return bytes;
    }

    private async Task<byte[]?> FromRedisAsync(string stamp, StreetTile tile)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(keys.StreetTile(stamp, tile.ToString()));
            return value.IsNull ? null : (byte[]?)value;
        }
        catch (RedisException ex)
        {
            // Redis is a cache here: without it the tile comes from PostGIS.
            LogRedisFailed(logger, tile.ToString(), ex.Message);
            return null;
        }
    }

    private Tile Remember(string key, byte[] bytes, string source)
    {
        var tile = new Tile(bytes, ETagOf(bytes), source);
        _memory.Set(key, tile, new MemoryCacheEntryOptions { Size = Math.Max(1, bytes.Length) });
        return tile;
    }

    private async Task<(string Stamp, List<(string Zone, string Schema)> Networks, DateTimeOffset ReadAt)> NetworksAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_networks is { } known && now - known.ReadAt < TimeSpan.FromSeconds(StampSeconds)) return known;
        await _stampGate.WaitAsync(ct);
        try
        {
            if (_networks is { } again && now - again.ReadAt < TimeSpan.FromSeconds(StampSeconds)) return again;
            var names = zones.All.Select(z => z.Name).Where(n => ZoneRules.CheckName(n) is null).ToList();
            await using var connection = await db.OpenConnectionAsync(ct);
            var found = await StreetTileQuery.NetworksAsync(connection, [.. names.Select(Routing.RoadRouter.Schema)], ct);
            var text = string.Join(';', found.Select(f => $"{f.Schema}:{f.Roads}:{f.LastId}"));
            var stamp = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12];
            var networks = found.Select(f => (f.Schema["roads_".Length..], f.Schema)).ToList();
            _networks = (stamp, networks, now);
            return _networks.Value;
        }
        finally
        {
            _stampGate.Release();
        }
    }

    private static string ETagOf(byte[] bytes) => $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"";

    public void Dispose()
    {
        _memory.Dispose();
        _stampGate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Street tile {Tile}: Redis cache unavailable ({Reason}); serving from PostGIS")]
    private static partial void LogRedisFailed(ILogger logger, string tile, string reason);
}
