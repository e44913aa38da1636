using System.Diagnostics;
using System.Globalization;
using Dispatch.Core.Streets;
using Dispatch.Core.Zones;
using Dispatch.Server;
using Dispatch.Server.Redis;
using Dispatch.Server.Streets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Dispatch.Bench;

/// <summary>
/// <c>dotnet run --project Dispatch.Bench -c Release -- tiles [--zone monaco] [--min-zoom 14] [--max-zoom 18]</c>
/// (infra/bench-tiles.sh): every street tile over the zone's box, zoom by zoom, through <see cref="StreetTiles"/> as the
/// endpoint uses it: cold (cut by PostGIS), from Redis (a fresh node), and from memory. Read-only on the database named by
/// ConnectionStrings__Postgres (which must hold roads_{zone}); a Redis prefix of its own, deleted at the end. No HTTP.
/// </summary>
public static class TilesBenchmark
{
    private const string Tag = "[bench-tiles]";

    public static async Task<int> RunAsync(string[] args)
    {
        var zoneName = Option(args, "--zone", "monaco");
        var minZoom = int.Parse(Option(args, "--min-zoom", "14"), CultureInfo.InvariantCulture);
        var maxZoom = int.Parse(Option(args, "--max-zoom", "18"), CultureInfo.InvariantCulture);
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? throw new InvalidOperationException("ConnectionStrings__Postgres is not set.");
        var redisAddress = Environment.GetEnvironmentVariable("ConnectionStrings__Redis") ?? throw new InvalidOperationException("ConnectionStrings__Redis is not set.");
        var boundary = Environment.GetEnvironmentVariable("BENCH_ZONE_BOUNDARY") ?? "POLYGON((7.4050 43.7220, 7.4400 43.7220, 7.4400 43.7520, 7.4050 43.7520, 7.4050 43.7220))";
        var zones = new ZoneMap([ZoneMap.FromWkt(zoneName, boundary)]);
        var prefix = $"bench-tiles-{Guid.NewGuid():N}"[..24];
        var builder = new NpgsqlDataSourceBuilder(postgres);
        builder.UseNetTopologySuite();
        await using var db = builder.Build();
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress);
        var keys = new RedisKeys(Options.Create(new DispatchOptions { RedisPrefix = prefix }));
        var env = zones.All[0].Envelope;
        var tiles = new List<StreetTile>();
        for (var z = minZoom; z <= maxZoom; z++)
        {
            var (x0, y0) = TileOf(env.MaxY, env.MinX, z);
            var (x1, y1) = TileOf(env.MinY, env.MaxX, z);
            for (var x = x0; x <= x1; x++) for (var y = y0; y <= y1; y++) tiles.Add(new StreetTile(z, x, y));
        }
        Console.WriteLine($"{Tag} zone {zoneName}, zooms {minZoom}..{maxZoom}: {tiles.Count} tiles; Redis prefix {prefix}");
        try
        {
            using (var warm = new StreetTiles(db, zones, redis, keys, TimeProvider.System, NullLogger<StreetTiles>.Instance))
                await warm.GetAsync(new StreetTile(0, 0, 0), CancellationToken.None); // JIT and pools, no tile query
            using var first = new StreetTiles(db, zones, redis, keys, TimeProvider.System, NullLogger<StreetTiles>.Instance);
            var cold = await MeasureAsync(first, tiles, "database");
            var memory = await MeasureAsync(first, tiles, "memory");
            using var second = new StreetTiles(db, zones, redis, keys, TimeProvider.System, NullLogger<StreetTiles>.Instance);
            var shared = await MeasureAsync(second, tiles, "redis");
            Console.WriteLine();
            foreach (var (name, run) in new[] { ("cold (PostGIS)", cold), ("Redis", shared), ("memory", memory) })
                Console.WriteLine($"SUMMARY {name,-15} {run.Count} tiles: mean {run.Mean:F2} ms, p50 {run.P50:F2} ms, p95 {run.P95:F2} ms, max {run.Max:F2} ms per tile; {run.Bytes / 1024.0:F0} KiB in all");
            return 0;
        }
        finally
        {
            var server = redis.GetServer(redis.GetEndPoints()[0]);
            await foreach (var key in server.KeysAsync(pattern: $"{prefix}:*")) await redis.GetDatabase().KeyDeleteAsync(key);
        }
    }

    private sealed record Run(int Count, double Mean, double P50, double P95, double Max, long Bytes);

    private static async Task<Run> MeasureAsync(StreetTiles tiles, List<StreetTile> all, string expected)
    {
        var times = new List<double>(all.Count);
        long bytes = 0;
        foreach (var tile in all)
        {
            var watch = Stopwatch.StartNew();
            var got = await tiles.GetAsync(tile, CancellationToken.None);
            times.Add(watch.Elapsed.TotalMilliseconds);
            bytes += got.Bytes.Length;
            if (got.Source != expected && got.Source != "none") throw new InvalidOperationException($"tile {tile} came from {got.Source}, expected {expected}");
        }
        times.Sort();
        return new Run(times.Count, times.Average(), times[times.Count / 2], times[(int)(times.Count * 0.95)], times[^1], bytes);
    }

    private static (int X, int Y) TileOf(double lat, double lon, int zoom)
    {
        var n = 1 << zoom;
        return ((int)Math.Floor((lon + 180) / 360 * n), (int)Math.Floor((1 - Math.Asinh(Math.Tan(lat * Math.PI / 180)) / Math.PI) / 2 * n));
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
