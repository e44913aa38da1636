using Dispatch.Core.Couriers;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Each node's in-memory picture of a zone's couriers (<see cref="ZoneCourierCache"/>, what batch rounds read) follows
/// every write to Redis through the courier-moves channel — on this node and on another (a second cache, as a second node
/// has) — and a whole read from Redis heals what a lost message left out.
/// </summary>
public sealed class ZoneCourierCacheTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Moves_state_changes_and_leaves_reach_every_node()
    {
        server.RequireServices();
        const string zone = "cache-check";
        const string other = "cache-check-east";
        var locator = server.Services.GetRequiredService<FleetReader>();
        var writer = server.Services.GetRequiredService<FleetWriter>();
        var here = server.Services.GetRequiredService<ZoneCourierCache>();
        using var there = ActivatorUtilities.CreateInstance<ZoneCourierCache>(server.Services);
        var random = new Random(5);
        var couriers = Enumerable.Range(0, 40).Select(_ => Courier(zone, random)).ToList();

        // Both nodes read the (empty) zone whole once; from then on only messages change what they hold.
        Assert.Empty(await here.AllInZoneAsync(zone));
        Assert.Empty(await there.AllInZoneAsync(zone));

        await writer.WriteMovesAsync([.. couriers.Select(c => (c, (string?)null))]);
        await UntilSameAsRedisAsync(locator, zone, "after 40 couriers' first fixes", here, there);

        var moved = couriers[3] with { Lat = couriers[3].Lat + 0.003, At = couriers[3].At.AddSeconds(5) };
        await writer.WriteMovesAsync([(moved, null)]);
        await writer.SaveAsync(couriers[4] with { ActiveOrders = 1 });
        await writer.RemoveAsync(zone, couriers[5] with { Activity = CourierActivity.Offline }, couriers[5].CourierId);
        await writer.RemoveStaleAsync(zone, [FleetKeys.Member(couriers[6].CourierId), FleetKeys.Member(couriers[7].CourierId)]);
        await writer.WriteMovesAsync([(couriers[8] with { Zone = other }, zone)]);
        await UntilSameAsRedisAsync(locator, zone, "after a move, an accept, going offline, two stale and one leaving for another zone", here, there);

        var read = await here.AllInZoneAsync(zone);
        Assert.Equal(36, read.Count);
        Assert.Equal(moved.Lat, read.Single(c => c.CourierId == moved.CourierId).Lat);
        Assert.Equal(1, read.Single(c => c.CourierId == couriers[4].CourierId).ActiveOrders);
        Assert.DoesNotContain(read, c => c.CourierId == couriers[5].CourierId || c.CourierId == couriers[8].CourierId);
        Assert.Contains(await there.AllInZoneAsync(other), c => c.CourierId == couriers[8].CourierId);
    }

    [Fact]
    public async Task A_lost_message_is_healed_by_a_whole_read()
    {
        server.RequireServices();
        const string zone = "cache-heal-check";
        var locator = server.Services.GetRequiredService<FleetReader>();
        var writer = server.Services.GetRequiredService<FleetWriter>();
        var cache = server.Services.GetRequiredService<ZoneCourierCache>();
        var known = Courier(zone, new Random(3));
        await writer.WriteMovesAsync([(known, null)]);
        await UntilSameAsRedisAsync(locator, zone, "after one courier's fix", cache);

        // Written to Redis with no message, as when this node was cut off from the channel.
        var unheard = Courier(zone, new Random(4));
        await server.Redis.GeoAddAsync(server.Keys.ZoneCouriers(zone), unheard.Lon, unheard.Lat, FleetKeys.Member(unheard.CourierId));
        await server.Redis.StringSetAsync(server.Keys.CourierState(unheard.CourierId), SnapshotCodec.Encode(unheard));
        Assert.DoesNotContain(await cache.AllInZoneAsync(zone), c => c.CourierId == unheard.CourierId);

        await cache.ResyncAsync(zone);
        Assert.Equal(new[] { known.CourierId, unheard.CourierId }.Order(), (await cache.AllInZoneAsync(zone)).Select(c => c.CourierId).Order());
    }

    private static CourierSnapshot Courier(string zone, Random random) =>
        new(Guid.NewGuid(), zone, 43.7330 + ((random.NextDouble() - 0.5) * 0.02), 7.4200 + ((random.NextDouble() - 0.5) * 0.02),
            DateTimeOffset.UtcNow, Equipment.None, Vehicle.Scooter, 2, 0, CourierActivity.Idle);

    /// <summary>Waits, message by message, until each cache holds exactly what Redis holds for the zone; fails after <see cref="Patience"/>.</summary>
    private static async Task UntilSameAsRedisAsync(FleetReader locator, string zone, string when, params ZoneCourierCache[] caches)
    {
        var expected = Describe(await locator.AllInZoneAsync(zone));
        foreach (var cache in caches)
        {
            using var deadline = new CancellationTokenSource(Patience);
            while (true)
            {
                var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                void OnApplied() => applied.TrySetResult();
                cache.Applied += OnApplied;
                try
                {
                    var held = Describe(await cache.AllInZoneAsync(zone));
                    if (held == expected) break;
                    try
                    {
                        await applied.Task.WaitAsync(deadline.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        Assert.Fail($"{when}: after {Patience.TotalSeconds:0} s the cache holds\n{held}\nbut Redis holds\n{expected}");
                    }
                }
                finally
                {
                    cache.Applied -= OnApplied;
                }
            }
        }
    }

    private static string Describe(IEnumerable<CourierSnapshot> couriers) =>
        string.Join("\n", couriers.OrderBy(c => c.CourierId).Select(c => $"{c.CourierId:N} {c.Lat:0.000000} {c.Lon:0.000000} {c.ActiveOrders} {c.Activity}"));
}
