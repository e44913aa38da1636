using Dispatch.Core.Couriers;
using Dispatch.Server.Routing;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>The in-memory road graph used for dispatch agrees with pgRouting's own shortest paths on Monaco, per vehicle profile.</summary>
public sealed class TravelTimeMatrixTests(RoadNetworkServer server) : IClassFixture<RoadNetworkServer>
{
    [Theory]
    [InlineData(Vehicle.Car)]
    [InlineData(Vehicle.Bicycle)]
    [InlineData(Vehicle.Walking)]
    public async Task Graph_times_match_pgr_dijkstra_on_sampled_pairs(Vehicle vehicle)
    {
        server.RequireNetwork();
        var travel = server.Services.GetRequiredService<TravelTimes>();
        Assert.True(await travel.LoadAsync("monaco", CancellationToken.None) > 1000);
        var graph = travel.Graph("monaco")!;

        var pairs = new List<(long From, long To)>();
        await using (var sample = server.Db.CreateCommand(
            "with v as (select distinct source as id from roads_monaco.ways where routable and highway in ('primary', 'secondary', 'tertiary', 'residential')) " +
            "select a.id, b.id from (select id from v order by md5(id::text) limit 12) a, " +
            "(select id from v order by md5((id * 7)::text) limit 3) b where a.id <> b.id"))
        await using (var reader = await sample.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) pairs.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }
        Assert.True(pairs.Count >= 30);

        var profile = graph.Profile(vehicle);
        var compared = 0;
        foreach (var target in pairs.Select(p => p.To).Distinct())
        {
            var seconds = graph.SecondsTo(graph.IndexOf(target), profile);
            foreach (var (from, _) in pairs.Where(p => p.To == target))
            {
                // The very edge query the router sends to pgRouting, over the whole graph.
                await using var command = server.Db.CreateCommand("select max(agg_cost) from pgr_dijkstra($3, $1::bigint, $2::bigint, directed := true)");
                command.Parameters.Add(new NpgsqlParameter { Value = from });
                command.Parameters.Add(new NpgsqlParameter { Value = target });
                command.Parameters.Add(new NpgsqlParameter { Value = RoadRouter.EdgeSql("roads_monaco", profile) });
                var pg = await command.ExecuteScalarAsync();
                var mine = seconds[graph.IndexOf(from)];
                if (pg is DBNull)
                {
                    Assert.True(double.IsPositiveInfinity(mine), $"{vehicle} {from}→{target}: pgRouting finds no path, the graph finds {mine} s");
                    continue;
                }
                Assert.Equal((double)pg!, mine, 3);
                compared++;
            }
        }
        Assert.True(compared >= 20, $"only {compared} reachable pairs compared");
    }
    [Fact]
    public async Task The_contracted_graph_is_built_in_the_background_and_its_cold_matrix_equals_pgr_dijkstraCost()
    {
        server.RequireNetwork();
        var travel = server.Services.GetRequiredService<TravelTimes>();
        Assert.True(await travel.LoadAsync("monaco", CancellationToken.None) > 1000);
        var graph = travel.Graph("monaco")!;
        var times = await travel.ContractedAsync("monaco").WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Enum.GetValues<Vehicle>().Order(), times.Keys.Order());
        await travel.LoadAsync("monaco", CancellationToken.None);
        Assert.Same(graph, travel.Graph("monaco")); // an unchanged network keeps its graph, trees and hierarchies

        var ids = new List<long>();
        await using (var sample = server.Db.CreateCommand(
            "select distinct source from roads_monaco.ways where routable and highway in ('primary', 'secondary', 'tertiary', 'residential') order by source limit 15"))
        await using (var reader = await sample.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        }
        var indices = ids.Select(graph.IndexOf).ToArray();
        var profile = graph.Profile(Vehicle.Scooter);
        Assert.NotNull(graph.Hierarchy(Vehicle.Scooter));
        var matrix = graph.Matrix(indices, indices, Vehicle.Scooter);
        var pg = new Dictionary<(long, long), double>();
        await using (var command = server.Db.CreateCommand("select start_vid, end_vid, agg_cost from pgr_dijkstraCost($1, $2::bigint[], $2::bigint[], directed := true)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = RoadRouter.EdgeSql("roads_monaco", profile) });
            command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) pg[(reader.GetInt64(0), reader.GetInt64(1))] = reader.GetDouble(2);
        }
        var compared = 0;
        for (var s = 0; s < ids.Count; s++)
        {
            for (var t = 0; t < ids.Count; t++)
            {
                if (s == t) continue;
                if (pg.TryGetValue((ids[s], ids[t]), out var seconds))
                {
                    Assert.Equal(seconds, matrix[s, t], 3);
                    compared++;
                }
                else
                {
                    Assert.True(double.IsPositiveInfinity(matrix[s, t]), $"{ids[s]}→{ids[t]}: pgRouting finds no path, the hierarchy {matrix[s, t]} s");
                }
            }
        }
        Assert.True(compared >= 100, $"only {compared} reachable pairs compared");
    }
}
