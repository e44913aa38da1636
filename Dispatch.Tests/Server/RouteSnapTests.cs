using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Server.Routing;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Routes on accept between addresses on Monaco's real streets: each end is snapped to a vertex the vehicle can both leave
/// and reach (one-way streets and forbidden road classes counted), so no order's route fails for want of a way out of a
/// one-way dead end and falls back to straight-line ETAs.
/// </summary>
public sealed class RouteSnapTests(RoadNetworkServer server) : IClassFixture<RoadNetworkServer>
{
    [Theory]
    [InlineData(Vehicle.Scooter)]
    [InlineData(Vehicle.Bicycle)]
    [InlineData(Vehicle.Car)]
    [InlineData(Vehicle.Walking)]
    public async Task Every_pair_of_street_addresses_gets_a_route(Vehicle vehicle)
    {
        server.RequireNetwork();
        // 40 street addresses: midpoints of road segments picked by a fixed hash (the same ones every run).
        var points = new List<LatLon>();
        await using (var command = server.Db.CreateCommand(
            "select st_y(p), st_x(p) from (select st_lineinterpolatepoint(the_geom, 0.5) as p, md5(gid::text) as h from roads_monaco.ways where routable) x order by h limit 40"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) points.Add(new LatLon(reader.GetDouble(0), reader.GetDouble(1)));
        }
        Assert.Equal(40, points.Count);

        var router = server.Services.GetRequiredService<RoadRouter>();
        var failed = new List<string>();
        for (var i = 0; i + 1 < points.Count; i += 2)
        {
            var plan = await router.PlanAsync("monaco", [points[i], points[i + 1]], vehicle, CancellationToken.None);
            if (plan.Failure is { } failure) failed.Add(failure.Detail);
        }
        Assert.True(failed.Count == 0, $"{failed.Count} of {points.Count / 2} routes failed for {vehicle}: {string.Join("; ", failed)}");
    }
}
