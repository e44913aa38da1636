using Dispatch.Core.Contracts;
using Dispatch.Core.Locations;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>Malformed fixes get their reason back and leave Redis and Postgres exactly as they were.</summary>
public sealed class FixValidationTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const double Lat = 43.7380, Lon = 7.4250;

    public static TheoryData<string> Kinds => new() { "nan", "infinity", "lat-range", "lon-range", "accuracy", "future", "old", "replay", "out-of-order", "speed", "outside-zone", "speed-reading", "heading" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Bad_fix_is_rejected_with_its_reason_and_changes_nothing(string kind)
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync($"fx-{kind}", Lat, Lon);
        await Eventually.WaitForAsync(() => TrackPoints(courier), n => n == 1, "the first track point");
        var previous = courier.LastFixTime; // the accepted fix everything below is checked against
        var good = courier.Fix(Lat + 0.0001, Lon);
        var (bad, expected) = kind switch
        {
            "nan" => (good with { Lat = double.NaN }, FixRejection.NotANumber),
            "infinity" => (good with { Lon = double.PositiveInfinity }, FixRejection.NotANumber),
            "lat-range" => (good with { Lat = 91 }, FixRejection.LatitudeOutOfRange),
            "lon-range" => (good with { Lon = -181 }, FixRejection.LongitudeOutOfRange),
            "accuracy" => (good with { Accuracy = -3 }, FixRejection.BadAccuracy),
            "future" => (good with { Time = DateTimeOffset.UtcNow.AddMinutes(5) }, FixRejection.InFuture),
            "old" => (good with { Time = DateTimeOffset.UtcNow.AddHours(-1) }, FixRejection.TooOld),
            "replay" => (good with { Time = previous }, FixRejection.Replayed),
            "out-of-order" => (good with { Time = previous.AddSeconds(-1) }, FixRejection.OutOfOrder),
            "speed" => (good with { Lat = Lat + 0.02, Time = previous.AddSeconds(1) }, FixRejection.ImpossibleSpeed),
            // Just west of the zone's edge, reachable in the time since the last fix, so only the zone rule can refuse it.
            "outside-zone" => (good with { Lon = 7.4040, Time = DateTimeOffset.UtcNow }, FixRejection.OutsideZone),
            // The device's own readings: 1e308 m/s was stored as Infinity, a heading of 720° as given.
            "speed-reading" => (good with { Speed = 1e308 }, FixRejection.BadSpeed),
            "heading" => (good with { Heading = 720 }, FixRejection.BadHeading),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var result = await courier.SendAsync([bad]);
        Assert.Equal(0, result.Accepted);
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal(0, rejection.Index);
        Assert.Equal(expected, rejection.Code);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Reason));

        // The next good fix goes through. Flushes keep order, so once it is stored, a wrongly accepted bad fix would be too.
        Assert.Equal(1, (await courier.SendAsync([good])).Accepted);
        await server.WaitInGeoSetAsync(courier.Id, good.Lat, good.Lon);
        await Eventually.WaitForAsync(
            () => server.ScalarAsync("select count(*) from track_points where courier_id = $1 and at = $2", courier.Id, good.Time),
            n => n == 1, "the good fix in track_points");
        Assert.Equal(2, await TrackPoints(courier));
    }

    [Fact]
    public async Task Mixed_batch_keeps_the_good_fixes_and_names_each_bad_one()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("fx-mixed", Lat, Lon);
        var a = courier.Fix(Lat + 0.0002, Lon);
        var b = courier.Fix(Lat + 0.0004, Lon);
        var result = await courier.SendAsync([a, a with { Lat = double.NaN }, a, b]);
        Assert.Equal(2, result.Accepted);
        Assert.Equal([1, 2], result.Rejected.Select(r => r.Index));
        Assert.Equal([FixRejection.NotANumber, FixRejection.Replayed], result.Rejected.Select(r => r.Code));
        await server.WaitInGeoSetAsync(courier.Id, b.Lat, b.Lon);
    }

    [Fact]
    public async Task Fixes_before_going_online_are_refused()
    {
        server.RequireServices();
        var member = (await server.FleetAsync("fx-offline", 1))[0];
        await using var offline = await server.ConnectCourierAsync(member);
        var refused = await Assert.ThrowsAsync<HubException>(() => offline.MoveToAsync(Lat, Lon));
        Assert.Contains("Go online", refused.Message, StringComparison.Ordinal);
        Assert.Null(await server.Redis.GeoPositionAsync(server.Keys.ZoneCouriers("monaco"), FleetKeys.Member(offline.Id)));
    }

    [Fact]
    public async Task Oversized_batches_are_refused_and_store_nothing()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("fx-big", Lat, Lon);
        var stateBefore = (byte[]?)await server.Redis.StringGetAsync(server.Keys.CourierState(courier.Id));
        Assert.NotNull(stateBefore);

        var tooMany = Enumerable.Range(0, HubPaths.MaxFixesPerBatch + 1).Select(_ => courier.Fix(Lat, Lon + 0.001)).ToArray();
        var refused = await Assert.ThrowsAsync<HubException>(() => courier.SendAsync(tooMany));
        Assert.Contains($"at most {HubPaths.MaxFixesPerBatch}", refused.Message, StringComparison.Ordinal);

        // Over the hub's byte limit the server closes the connection before reading the call.
        var closed = new TaskCompletionSource();
        courier.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        var huge = Enumerable.Range(0, 4 * HubPaths.MaxFixesPerBatch).Select(_ => courier.Fix(Lat, Lon + 0.001)).ToArray();
        await Assert.ThrowsAnyAsync<Exception>(() => courier.SendAsync(huge));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(stateBefore, (byte[]?)await server.Redis.StringGetAsync(server.Keys.CourierState(courier.Id)));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from track_points where courier_id = $1 and st_x(position::geometry) > 7.4255", courier.Id));
    }

    private Task<long> TrackPoints(TestCourier courier) =>
        server.ScalarAsync("select count(*) from track_points where courier_id = $1", courier.Id);
}
