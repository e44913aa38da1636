using Dispatch.Server.Routing;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>The in-memory road graph used for dispatch agrees with pgRouting's own shortest paths on Monaco.</summary>
public sealed class TravelTimeMatrixTests(RoadNetworkServer server) : IClassFixture<RoadNetworkServer>
{
    [Fact]
    public async Task Graph_distances_match_pgr_dijkstra_on_sampled_pairs()
    {
        server.RequireNetwork();
        var travel = server.Services.GetRequiredService<TravelTimes>();
        Assert.True(await travel.LoadAsync("monaco", CancellationToken.None) > 1000);
        var graph = travel.Graph("monaco")!;

        var pairs = new List<(long From, long To)>();
        await using (var sample = server.Db.CreateCommand(
            "select a.id, b.id from (select id from roads_monaco.ways_vertices_pgr order by md5(id::text) limit 12) a, " +
            "(select id from roads_monaco.ways_vertices_pgr order by md5((id * 7)::text) limit 3) b where a.id <> b.id"))
        await using (var reader = await sample.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) pairs.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }
        Assert.True(pairs.Count >= 30);

        var compared = 0;
        foreach (var target in pairs.Select(p => p.To).Distinct())
        {
            var metres = graph.MetresTo(graph.IndexOf(target), walking: false);
            foreach (var (from, _) in pairs.Where(p => p.To == target))
            {
                await using var command = server.Db.CreateCommand(
                    "select max(agg_cost) from pgr_dijkstra('select gid as id, source, target, length_m as cost, " +
                    "case when reverse_cost < 0 then -1 else length_m end as reverse_cost from roads_monaco.ways', $1::bigint, $2::bigint, directed := true)");
                command.Parameters.Add(new NpgsqlParameter { Value = from });
                command.Parameters.Add(new NpgsqlParameter { Value = target });
                var pg = await command.ExecuteScalarAsync();
                var mine = metres[graph.IndexOf(from)];
                if (pg is DBNull)
                {
                    Assert.True(double.IsPositiveInfinity(mine), $"{from}→{target}: pgRouting finds no path, the graph finds {mine} m");
                    continue;
                }
                Assert.Equal((double)pg!, mine, 3);
                compared++;
            }
        }
        Assert.True(compared >= 20, $"only {compared} reachable pairs compared");
    }
}
