using System.Collections.Concurrent;
using System.Diagnostics;
using Dispatch.Core.Couriers;
using Dispatch.Core.Routing;
using Dispatch.Core.Zones;
using Npgsql;

namespace Dispatch.Server.Routing;

/// <summary>
/// Each zone's road network held in memory as a <see cref="RoadGraph"/> for dispatch's travel times, loaded from
/// PostGIS at start and every few minutes (so an import shows up without a restart). Zones without a network use
/// the straight-line model.
/// </summary>
internal sealed partial class TravelTimes(NpgsqlDataSource db, ZoneMap zones, Microsoft.Extensions.Options.IOptions<DispatchOptions> options, Common.ResilientLoop loops, ILogger<TravelTimes> logger) : BackgroundService
{
    private static readonly TimeSpan ReloadEvery = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, RoadGraph> _graphs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _fingerprints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<IReadOnlyDictionary<Vehicle, TimeSpan>>> _contracting = new(StringComparer.Ordinal);

    /// <summary>The zone's road graph, or null when it has none (dispatch then uses the straight line).</summary>
    public ITravelTimeModel? For(string zone) => _graphs.GetValueOrDefault(zone);

    public RoadGraph? Graph(string zone) => _graphs.GetValueOrDefault(zone);

    /// <summary>Loads (or drops) a zone's graph now; returns the number of vertices, 0 when the zone has no network.</summary>
    public async Task<int> LoadAsync(string zone, CancellationToken ct)
    {
        var schema = RoadRouter.Schema(zone);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using (var exists = new NpgsqlCommand(
            "select exists (select 1 from information_schema.columns where table_schema = $1 and table_name = 'ways' and column_name = 'highway')", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = schema });
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                _graphs.TryRemove(zone, out _);
                return 0;
            }
        }
        var vertices = new List<(long, double, double)>();
        await using (var command = new NpgsqlCommand($"select id, st_y(the_geom), st_x(the_geom) from {schema}.ways_vertices_pgr", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) vertices.Add((reader.GetInt64(0), reader.GetDouble(1), reader.GetDouble(2)));
        }
        // A one-way street drawn against its direction (cost < 0) is loaded turned round, so "one-way" always means source → target.
        var edges = new List<(long, long, double, bool, string?)>();
        await using (var command = new NpgsqlCommand(
            $"select case when cost < 0 then target else source end, case when cost < 0 then source else target end, length_m, " +
            $"coalesce(cost < 0 or reverse_cost < 0, false), highway from {schema}.ways where source is not null and target is not null", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                edges.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }
        // The reload every few minutes mostly finds the same network: keep that graph, its cached trees and its hierarchies.
        var fingerprint = Fingerprint(vertices, edges, options.Value.CourierSpeedFactor);
        if (_graphs.ContainsKey(zone) && _fingerprints.TryGetValue(zone, out var previous) && previous == fingerprint) return vertices.Count;
        var graph = new RoadGraph(vertices, edges, options.Value.CourierSpeedFactor);
        _graphs[zone] = graph;
        _fingerprints[zone] = fingerprint;
        LogLoaded(logger, zone, vertices.Count, edges.Count);
        // Contraction takes seconds on a city network: on its own thread, while plain Dijkstra answers cold travel times.
        _contracting[zone] = Task.Factory.StartNew<IReadOnlyDictionary<Vehicle, TimeSpan>>(() => Contract(zone, graph), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return vertices.Count;
    }

    /// <summary>Completes when the zone's graph has every vehicle's contraction hierarchy, with the time each took.</summary>
    public Task<IReadOnlyDictionary<Vehicle, TimeSpan>> ContractedAsync(string zone) =>
        _contracting.TryGetValue(zone, out var task) ? task : Task.FromResult<IReadOnlyDictionary<Vehicle, TimeSpan>>(new Dictionary<Vehicle, TimeSpan>());

    private Dictionary<Vehicle, TimeSpan> Contract(string zone, RoadGraph graph)
    {
        var times = new Dictionary<Vehicle, TimeSpan>();
        try
        {
            foreach (var vehicle in Enum.GetValues<Vehicle>())
            {
                if (!ReferenceEquals(_graphs.GetValueOrDefault(zone), graph)) break; // replaced by a newer load
                var started = Stopwatch.GetTimestamp();
                var hierarchy = graph.Contract(vehicle);
                times[vehicle] = Stopwatch.GetElapsedTime(started);
                LogContracted(logger, zone, vehicle, times[vehicle].TotalMilliseconds, hierarchy.ShortcutCount, hierarchy.Bytes / 1_048_576.0);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OutOfMemoryException or ArgumentException)
        {
            LogContractFailed(logger, zone, ex);
        }
        return times;
    }

    private static int Fingerprint(List<(long, double, double)> vertices, List<(long, long, double, bool, string?)> edges, double factor)
    {
        var hash = new HashCode();
        hash.Add(factor);
        foreach (var vertex in vertices) hash.Add(vertex);
        foreach (var edge in edges) hash.Add(edge);
        return hash.ToHashCode();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReloadEvery);
        var first = true;
        // At once on start, then every few minutes.
        ValueTask<bool> Next(CancellationToken ct)
        {
            if (!first) return timer.WaitForNextTickAsync(ct);
            first = false;
            return ValueTask.FromResult(true);
        }
        await loops.RunAsync("travel-times", "loading the zones' road graphs", Next, LoadAllAsync, stoppingToken);
    }

    private async ValueTask LoadAllAsync(CancellationToken stoppingToken)
    {
        foreach (var zone in zones.All)
        {
            try
            {
                await LoadAsync(zone.Name, stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                LogLoadFailed(logger, zone.Name, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Road graph for zone {Zone} loaded: {Vertices} vertices, {Edges} edges")]
    private static partial void LogLoaded(ILogger logger, string zone, int vertices, int edges);

    [LoggerMessage(Level = LogLevel.Information, Message = "Road graph for zone {Zone} contracted for {Vehicle} in {Milliseconds} ms: {Shortcuts} shortcuts, {Megabytes} MB")]
    private static partial void LogContracted(ILogger logger, string zone, Vehicle vehicle, double milliseconds, int shortcuts, double megabytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Contracting the road graph for zone {Zone} failed; cold travel times stay on plain Dijkstra")]
    private static partial void LogContractFailed(ILogger logger, string zone, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the road graph for zone {Zone} failed; straight-line travel times until the next try")]
    private static partial void LogLoadFailed(ILogger logger, string zone, Exception ex);
}
