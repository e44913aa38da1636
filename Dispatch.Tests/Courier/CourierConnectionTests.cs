extern alias CourierApp;

using CourierApp::Dispatch.Courier.Client;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Courier;

/// <summary>The runner app's client library against the real server: fixes reported while offline are sent, in order, once connected and online.</summary>
public sealed class CourierConnectionTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Fixes_reported_before_connecting_are_delivered_after_going_online()
    {
        server.RequireServices();
        var member = (await server.FleetAsync("lib", 1))[0];
        await using var connection = new CourierConnection(server.BaseUrl, member.Token);

        // Five fixes 2 s apart walking north, reported while there is no connection yet.
        var start = DateTimeOffset.UtcNow.AddSeconds(-12);
        var fixes = Enumerable.Range(0, 5).Select(i => new LocationFix(start.AddSeconds(2 * i), 43.7380 + i * 0.0001, 7.4250, 5, 5, 0)).ToList();
        fixes.ForEach(connection.Report);
        Assert.Equal(5, connection.FixesBuffered);

        await connection.StartAsync(TestContext.Current.CancellationToken);
        // Connected, not online yet: the fixes wait (the server refuses a courier who is not online, and a refused batch is dropped).
        Assert.False(await connection.FlushAsync(TestContext.Current.CancellationToken));
        Assert.Equal((5, 0L), (connection.FixesBuffered, connection.FixesSent));
        var session = await connection.GoOnlineAsync(new GoOnlineRequest(Equipment.ActiveCooler, Vehicle.EBike, 2), TestContext.Current.CancellationToken);
        Assert.Equal(member.CourierId, session.CourierId);
        Assert.True(await connection.FlushAsync(TestContext.Current.CancellationToken));

        Assert.Equal(5, connection.FixesAccepted);
        Assert.Equal(0, connection.FixesRejected);
        Assert.Equal(0, connection.FixesBuffered);
        await server.WaitInGeoSetAsync(member.CourierId, fixes[^1].Lat, fixes[^1].Lon);
        await Eventually.WaitForAsync(
            () => server.ScalarAsync("select count(*) from track_points where courier_id = $1", member.CourierId),
            n => n == 5, "five track points");
    }
}
