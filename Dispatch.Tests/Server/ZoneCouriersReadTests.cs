using Dispatch.Core.Couriers;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A zone's couriers read whole from Redis (<see cref="FleetReader.AllInZoneAsync"/>, what each node's zone cache is
/// rebuilt from): couriers who joined, left or moved between two reads must all come out exactly as stored.
/// </summary>
public sealed class ZoneCouriersReadTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const string Zone = "zone-read-check";

    [Fact]
    public async Task Joins_leaves_and_moves_between_two_reads_are_all_seen()
    {
        server.RequireServices();
        var locator = server.Services.GetRequiredService<FleetReader>();
        var writer = server.Services.GetRequiredService<FleetWriter>();
        var stored = new Dictionary<Guid, CourierSnapshot>();
        var random = new Random(11);
        for (var i = 0; i < 50; i++) await JoinAsync(writer, stored, random);
        await AssertReadAsync(locator, stored, "first read");

        // Only moves: the same members in a new order with new states.
        foreach (var id in stored.Keys.Skip(20).Take(8).ToList()) await SaveAsync(writer, stored[id] with { Lat = stored[id].Lat - 0.004, Lon = stored[id].Lon + 0.003, ActiveOrders = 2 }, stored);
        await AssertReadAsync(locator, stored, "after moves only");

        // Some move (new state, new place in the geo set), some leave, some join.
        foreach (var id in stored.Keys.Take(5).ToList()) await SaveAsync(writer, stored[id] with { Lat = stored[id].Lat + 0.002, ActiveOrders = 1 }, stored);
        foreach (var id in stored.Keys.Skip(10).Take(3).ToList())
        {
            await writer.RemoveAsync(Zone, null, id);
            await server.Redis.KeyDeleteAsync(server.Keys.CourierState(id));
            stored.Remove(id);
        }
        for (var i = 0; i < 4; i++) await JoinAsync(writer, stored, random);
        await AssertReadAsync(locator, stored, "after joins, leaves and moves");
        await AssertReadAsync(locator, stored, "unchanged since the last read");

        foreach (var id in stored.Keys.ToList())
        {
            await writer.RemoveAsync(Zone, null, id);
            stored.Remove(id);
        }
        await AssertReadAsync(locator, stored, "everyone gone");
        for (var i = 0; i < 2; i++) await JoinAsync(writer, stored, random);
        await AssertReadAsync(locator, stored, "back from empty");
    }

    private static async Task JoinAsync(FleetWriter writer, Dictionary<Guid, CourierSnapshot> stored, Random random)
    {
        var snapshot = new CourierSnapshot(Guid.NewGuid(), Zone, 43.7330 + (random.NextDouble() - 0.5) * 0.02, 7.4200 + (random.NextDouble() - 0.5) * 0.02,
            DateTimeOffset.UtcNow, Equipment.None, Vehicle.Scooter, 2, 0, CourierActivity.Idle);
        await SaveAsync(writer, snapshot, stored);
    }

    private static async Task SaveAsync(FleetWriter writer, CourierSnapshot snapshot, Dictionary<Guid, CourierSnapshot> stored)
    {
        await writer.WriteMovesAsync([(snapshot, null)]);
        stored[snapshot.CourierId] = snapshot;
    }

    private static async Task AssertReadAsync(FleetReader locator, Dictionary<Guid, CourierSnapshot> stored, string when)
    {
        var read = await locator.AllInZoneAsync(Zone);
        Assert.True(read.Count == stored.Count, $"{when}: read {read.Count} couriers, {stored.Count} stored");
        foreach (var courier in read)
        {
            Assert.True(stored.TryGetValue(courier.CourierId, out var expected), $"{when}: {courier.CourierId} is not in the zone");
            Assert.Equal((expected.Lat, expected.Lon, expected.ActiveOrders), (courier.Lat, courier.Lon, courier.ActiveOrders));
        }
    }
}
