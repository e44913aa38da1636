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
}
