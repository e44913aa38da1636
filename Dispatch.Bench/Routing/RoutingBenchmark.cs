using System.Diagnostics;
using System.Globalization;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Npgsql;

using Dispatch.Server;
using Dispatch.Server.Routing;

namespace Dispatch.Bench.Routing;

/// <summary>
/// <c>dotnet run --project Dispatch.Bench -c Release -- routing [zone] [vehicle]</c> (infra/bench-routing.sh):
/// the two routing numbers dispatch lives on, each against a pgRouting baseline run in the same invocation on the same
/// network — a 20×20 travel-time matrix from the in-memory graph (cold: no cached trees, the headline; and warm: cached
/// trees through the interface dispatch calls) vs one many-to-many <c>pgr_dijkstraCost</c> over the whole graph, and routes courier → pickup → drop-off per second as planned on accept (box-cut pgr_dijkstra, snapping,
/// line assembly) vs bare whole-graph <c>pgr_dijkstra</c> costs for the same legs. Prints progress and a summary.
/// </summary>
public static class RoutingBenchmark
{
    private const int Points = 20;
    private const int Routes = 60;

    public static async Task<int> RunAsync(string[] args)
    {
        var zone = args.Length > 0 ? args[0] : "monaco";
        var vehicle = args.Length > 1 && Enum.TryParse<Vehicle>(args[1], ignoreCase: true, out var v) ? v : Vehicle.Scooter;
        // The server's own services (road router, in-memory graphs) from its composition; nothing is started.
        var services = ServerComposition.Build(ServerArgs.Development()).Services;
        var db = services.GetRequiredService<NpgsqlDataSource>();
        var travel = services.GetRequiredService<TravelTimes>();
        var router = services.GetRequiredService<RoadRouter>();
        var schema = RoadRouter.Schema(zone);
        Console.WriteLine($"[bench-routing] zone {zone}, vehicle {vehicle}: loading the road graph");
        var vertices = await travel.LoadAsync(zone, CancellationToken.None);
        if (vertices == 0)
        {
            Console.WriteLine($"[bench-routing] zone {zone} has no road network; import one first: infra/import-osm.sh {zone} <extract>");
            return 2;
        }
        var graph = travel.Graph(zone)!;
        var profile = graph.Profile(vehicle);
        var contracted = await travel.ContractedAsync(zone);
        var hierarchy = graph.Hierarchy(vehicle) ?? throw new InvalidOperationException($"no contraction hierarchy for {vehicle}");
        var contractMs = contracted[vehicle].TotalMilliseconds;
        Console.WriteLine($"[bench-routing] contraction hierarchy for {vehicle}: {contractMs:0} ms, {hierarchy.ShortcutCount:N0} shortcuts, {hierarchy.Bytes / 1_048_576.0:0.0} MB " +
            $"(all {contracted.Count} vehicles: {contracted.Values.Sum(t => t.TotalMilliseconds):0} ms)");

        // Points: vertices on streets every vehicle uses, in the main network, in a fixed pseudo-random order.
        var ids = new List<(long Id, LatLon At)>();
        await using (var command = db.CreateCommand(
            $"select v.id, st_y(v.the_geom), st_x(v.the_geom) from {schema}.ways_vertices_pgr v where v.id in " +
            $"(select source from {schema}.ways where routable and highway in ('primary', 'secondary', 'tertiary', 'residential', 'unclassified')) " +
            $"order by md5(v.id::text) limit {Points * 4}"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) ids.Add((reader.GetInt64(0), new LatLon(reader.GetDouble(1), reader.GetDouble(2))));
        }
        if (ids.Count < Points * 3) throw new InvalidOperationException($"zone {zone} has only {ids.Count} usable street vertices; the benchmark needs {Points * 3}");
        var matrix = ids.Take(Points).ToList();
        Console.WriteLine($"[bench-routing] graph: {graph.VertexCount:N0} vertices, {graph.EdgeCount:N0} edges; matrix {Points}×{Points}");

        // Ours, cold: the contraction hierarchy's many-to-many (no trees); for reference, one reverse Dijkstra per target.
        var indices = matrix.Select(m => graph.IndexOf(m.Id)).ToArray();
        var ours = new double[Points, Points];
        void OurMatrix() => ours = graph.Matrix(indices, indices, vehicle);
        WarmUp(OurMatrix);
        var oursMs = Median(Enumerable.Range(0, 30).Select(_ => Time(OurMatrix)));
        var dijkstra = new double[Points, Points];
        void DijkstraMatrix()
        {
            for (var t = 0; t < Points; t++)
            {
                var tree = graph.SecondsTo(indices[t], profile);
                for (var s = 0; s < Points; s++) dijkstra[s, t] = tree[indices[s]];
            }
        }
        DijkstraMatrix();
        var dijkstraMs = Median(Enumerable.Range(0, 5).Select(_ => Time(DijkstraMatrix)));

        // What dispatch calls: the travel-time interface, all origins to one pickup per call, trees to recent pickups cached.
        var origins = matrix.Select(m => (m.At, vehicle)).ToList();
        var cached = new double[Points, Points];
        void CachedMatrix()
        {
            for (var t = 0; t < Points; t++)
            {
                var row = graph.SecondsTo(matrix[t].At, origins);
                for (var s = 0; s < Points; s++) cached[s, t] = row[s];
            }
        }
        WarmUp(CachedMatrix); // the first call fills the cache
        var cachedMs = Median(Enumerable.Range(0, 200).Select(_ => Time(CachedMatrix)));

        // Baseline: pgRouting's many-to-many over the whole graph with the same edge costs.
        var theirs = new Dictionary<(long, long), double>();
        var idArray = matrix.Select(m => m.Id).ToArray();
        async Task PgMatrix()
        {
            theirs.Clear();
            await using var command = db.CreateCommand("select start_vid, end_vid, agg_cost from pgr_dijkstraCost($1, $2::bigint[], $2::bigint[], directed := true)");
            command.Parameters.Add(new NpgsqlParameter { Value = RoadRouter.EdgeSql(schema, profile) });
            command.Parameters.Add(new NpgsqlParameter { Value = idArray });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) theirs[(reader.GetInt64(0), reader.GetInt64(1))] = reader.GetDouble(2);
        }
        await PgMatrix();
        var pgTimes = new List<double>();
        for (var i = 0; i < 7; i++) pgTimes.Add(await TimeAsync(PgMatrix));
        var pgMs = Median(pgTimes);
        var maxDiff = 0.0;
        var compared = 0;
        for (var s = 0; s < Points; s++)
        {
            for (var t = 0; t < Points; t++)
            {
                if (s == t || !theirs.TryGetValue((matrix[s].Id, matrix[t].Id), out var pg)) continue;
                maxDiff = Math.Max(maxDiff, Math.Max(Math.Abs(pg - ours[s, t]), Math.Max(Math.Abs(pg - cached[s, t]), Math.Abs(pg - dijkstra[s, t]))));
                compared++;
            }
        }
        Console.WriteLine($"[bench-routing] matrix {Points}×{Points}: whole-graph pgr_dijkstraCost {pgMs:0.00} ms; in-memory graph, cold (no cached trees) " +
            $"{oursMs:0.000} ms (ratio {oursMs / pgMs:0.0000}), warm (cached trees, as dispatch calls it) {cachedMs:0.0000} ms (ratio {cachedMs / pgMs:0.00000}); " +
            $"{compared} pairs agree within {maxDiff:0.000} s; cold by plain Dijkstra (no hierarchy) {dijkstraMs:0.000} ms (ratio {dijkstraMs / pgMs:0.0000})");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[bench-routing] HEADLINE {zone}: cold matrix {oursMs / pgMs:0.0000} of pgr_dijkstraCost (goal on a network of 100,000+ edges: <= 0.05), warm {cachedMs / pgMs:0.00000}"));

        // Routes on accept: courier → pickup → drop-off, as RoutePlanner asks for them.
        var stops = ids.Skip(Points).ToList();
        var triples = Enumerable.Range(0, Routes).Select(i => (stops[i % stops.Count], stops[(i * 7 + 3) % stops.Count], stops[(i * 13 + 5) % stops.Count])).ToList();
        var planned = 0;
        var routeWatch = Stopwatch.StartNew();
        foreach (var (courier, pickup, dropoff) in triples)
        {
            var result = await router.PlanAsync(zone, [courier.At, pickup.At, dropoff.At], vehicle, CancellationToken.None);
            if (result.Ok) planned++;
        }
        var routesPerSecond = Routes / routeWatch.Elapsed.TotalSeconds;
        Console.WriteLine($"[bench-routing] routes on accept: {Routes} planned ({planned} routable) in {routeWatch.Elapsed.TotalSeconds:0.00} s = {routesPerSecond:0.0} routes/s");

        if (planned == 0)
        {
            // A zone the server does not serve (a generated network for the matrix): no routes, so no baseline for them either.
            Console.WriteLine($"[bench-routing] zone {zone} plans no routes (not a configured zone); routes on accept are measured on a served zone");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SUMMARY zone={zone} vehicle={vehicle} vertices={graph.VertexCount} edges={graph.EdgeCount} pgr_matrix_ms={pgMs:0.00} cold_matrix_ms={oursMs:0.000} cold_ratio={oursMs / pgMs:0.0000} dijkstra_cold_ms={dijkstraMs:0.000} contract_ms={contractMs:0} ch_mb={hierarchy.Bytes / 1_048_576.0:0.0} " +
                $"warm_matrix_ms={cachedMs:0.0000} warm_ratio={cachedMs / pgMs:0.00000} max_diff_s={maxDiff:0.000}"));
            return 0;
        }
        var baseWatch = Stopwatch.StartNew();
        var edges = RoadRouter.EdgeSql(schema, profile);
        foreach (var (courier, pickup, dropoff) in triples)
        {
            foreach (var (a, b) in new[] { (courier.Id, pickup.Id), (pickup.Id, dropoff.Id) })
            {
                if (a == b) continue;
                await using var command = db.CreateCommand("select max(agg_cost) from pgr_dijkstra($1, $2::bigint, $3::bigint, directed := true)");
                command.Parameters.Add(new NpgsqlParameter { Value = edges });
                command.Parameters.Add(new NpgsqlParameter { Value = a });
                command.Parameters.Add(new NpgsqlParameter { Value = b });
                await command.ExecuteScalarAsync();
            }
        }
        var baseRoutesPerSecond = Routes / baseWatch.Elapsed.TotalSeconds;
        Console.WriteLine($"[bench-routing] baseline: the same legs as bare whole-graph pgr_dijkstra costs: {baseRoutesPerSecond:0.0} routes/s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SUMMARY zone={zone} vehicle={vehicle} vertices={graph.VertexCount} edges={graph.EdgeCount} pgr_matrix_ms={pgMs:0.00} cold_matrix_ms={oursMs:0.000} cold_ratio={oursMs / pgMs:0.0000} dijkstra_cold_ms={dijkstraMs:0.000} contract_ms={contractMs:0} ch_mb={hierarchy.Bytes / 1_048_576.0:0.0} " +
            $"warm_matrix_ms={cachedMs:0.0000} warm_ratio={cachedMs / pgMs:0.00000} " +
            $"max_diff_s={maxDiff:0.000} routes_per_s={routesPerSecond:0.0} pgr_routes_per_s={baseRoutesPerSecond:0.0} routes_ratio={routesPerSecond / baseRoutesPerSecond:0.00}"));
        return 0;
    }

    /// <summary>Runs a kernel for a second first, so the JIT has compiled it fully (as in a server that has been up a while).</summary>
    private static void WarmUp(Action action)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(1)) action();
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
