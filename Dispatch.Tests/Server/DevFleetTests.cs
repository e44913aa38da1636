using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// The development fleet (<c>POST /dev/fleet</c>) that the demo's simulator signs in with: the same couriers every run, each
/// with where the server last saw them, so a demo run again soon after the last resumes them there instead of jumping.
/// </summary>
public sealed class DevFleetTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_fleet_courier_comes_back_with_the_last_position_the_server_has()
    {
        server.RequireServices();
        var before = await server.FleetAsync("devfleet", 2);
        Assert.All(before, m => Assert.Null(m.LastLat));

        await using (await server.OnlineCourierAtAsync("devfleet", 43.7391, 7.4262)) { }

        var after = await server.FleetAsync("devfleet", 2);
        Assert.Equal(before.Select(m => m.CourierId), after.Select(m => m.CourierId));
        Assert.Equal(43.7391, after[0].LastLat!.Value, 5);
        Assert.Equal(7.4262, after[0].LastLon!.Value, 5);
        Assert.Null(after[1].LastLat); // never seen
    }
}
