using Dispatch.Core.Orders;
using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A Redis that comes back empty (a crash without its append-only file) holds no positions until each node writes its
/// couriers back or their next fix arrives; the recovery sweep does not take that for silence (issue 20, docs/multi-node.md).
/// A courier whose last fix is there and old is still released (<see cref="AbandonedOrderTests"/>).
/// </summary>
public sealed class SweepAfterEmptyRedisTests
{
    private const double Lat = 43.7386, Lon = 7.4262;

    [Fact]
    public async Task An_order_held_before_pickup_stays_with_its_courier_when_Redis_comes_back_empty()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis, new Dictionary<string, string?>
        {
            ["Dispatch:RecoverySweepSeconds"] = "1",
            ["Dispatch:AbandonedAfterSeconds"] = "600",
        });
        await server.InitializeAsync();
        server.RequireServices();
        var courier = await server.OnlineCourierAtAsync("empty-redis", Lat, Lon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat, pickupLon: Lon));
        try
        {
            await server.PayAsync(order.Id);
            await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "the offer")).OfferId);
            // The app drops its connection (a tunnel): no node holds the courier, so nothing writes them back into an emptied
            // Redis; only their next fix would.
            await courier.DisposeAsync();

            redis.Kill();
            await redis.RestartAsync();
            var fleet = server.Services.GetRequiredService<Dispatch.Server.Fleet.FleetReader>();
            var sweep = server.Services.GetRequiredService<RecoveryCoordinator>();
            // Once the node answers again from the new, empty Redis, several sweeps find the courier without a position.
            await Eventually.WaitForAsync(async () =>
            {
                try
                {
                    return (await fleet.GetManyAsync([courier.Id]))[0] is null;
                }
                catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
                {
                    return false;
                }
            }, empty => empty, "the node reading the emptied Redis", TimeSpan.FromSeconds(30));
            for (var i = 0; i < 3; i++) await sweep.SweepAsync(TestContext.Current.CancellationToken);

            Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and courier_id = $2 and status = $3",
                order.Id, courier.Id, (int)OrderStatus.Accepted));
            Assert.Equal(0, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and note like '%has no position%'", order.Id));
        }
        finally
        {
            using var cancelled = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" });
        }
    }
}
