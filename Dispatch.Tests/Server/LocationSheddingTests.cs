using Dispatch.Core.Contracts;
using Dispatch.Server.Fleet;
using Dispatch.Server;
using Dispatch.Server.Locations;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Fixes arriving faster than the flush, with queues bounded at 2 KB: the bound holds, the oldest fixes are shed and counted
/// (metric and one log line), and the newest fix still reaches Redis and the track history.
/// </summary>
public sealed class LocationSheddingTests(TinyQueueServer server) : IClassFixture<TinyQueueServer>
{
    private const int Flood = 3_000;

    [Fact]
    public async Task A_flood_of_fixes_keeps_the_queues_within_their_byte_bound_and_sheds_the_oldest_first()
    {
        server.RequireServices();
        var member = (await server.FleetAsync("shed", 1))[0];
        await using var courier = await server.ConnectCourierAsync(member);
        await courier.GoOnlineAsync();
        var session = server.Services.GetRequiredService<OnlineCouriers>().Find(member.CourierId)!;
        var intake = server.Services.GetRequiredService<FixIntake>();
        var channels = server.Services.GetRequiredService<LocationChannels>();
        var metrics = server.Services.GetRequiredService<DispatchMetrics>();

        // Eight minutes of history at 10 Hz, 0.55 m apart (5.5 m/s) back and forth, sent as fast as the process can: far faster than the flush.
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-8).ToUnixTimeSeconds());
        var largest = 0L;
        for (var i = 0; i < Flood; i++)
        {
            var step = i % 200 < 100 ? i % 200 : 200 - i % 200; // back and forth over 55 m
            var fix = new LocationFix(start.AddMilliseconds(100 * i), DispatchServer.CasinoLat + step * 0.000005, DispatchServer.CasinoLon, 5, 5, 0);
            Assert.Equal(1, intake.Submit(session, [fix]).Accepted);
            largest = Math.Max(largest, Math.Max(channels.Fixes.Bytes, channels.TrackPoints.Bytes));
        }
        // The newest fix, somewhere no earlier fix was: 11 m further north a second later.
        var last = new LocationFix(start.AddMilliseconds(100 * Flood + 1_000), DispatchServer.CasinoLat + 0.0006, DispatchServer.CasinoLon, 5, 5, 0);
        Assert.Equal(1, intake.Submit(session, [last]).Accepted);

        Assert.InRange(largest, 1, TinyQueueServer.QueueBytes);
        await server.WaitInGeoSetAsync(member.CourierId, last.Lat, last.Lon);
        await Eventually.WaitForAsync(
            () => server.ScalarAsync("select coalesce(max(extract(epoch from at) * 1000), 0)::bigint from track_points where courier_id = $1", member.CourierId),
            ms => ms == last.Time.ToUnixTimeMilliseconds(), "the newest fix in track_points");

        var stats = metrics.Snapshot();
        Assert.InRange(stats.FixesShed, Flood / 2, Flood);
        Assert.True(await server.ScalarAsync("select count(*) from track_points where courier_id = $1", member.CourierId) < Flood / 2);
        Assert.InRange(server.Log.Lines.Count(l => l.Contains("shed the oldest", StringComparison.Ordinal)), 1, 4);
    }
}
