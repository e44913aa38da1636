using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Redis crashes and comes back (a real redis-server process of the test's own) under a connected courier: the fixes the node
/// acknowledged meanwhile reach Redis and the track once it is back, with no new fix needed, so does the load of an order
/// change committed meanwhile, and a command that needs Redis in between is refused with a HubException saying to retry.
/// </summary>
public sealed class RedisRestartTests
{
    private const double Lat = 43.7380, Lon = 7.4250;

    [Fact]
    public async Task Fixes_acknowledged_while_Redis_was_down_arrive_after_it_restarts_and_commands_meanwhile_are_retryable()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("redis-restart", Lat, Lon);

        redis.Kill();
        // Acknowledged by the node (fix intake is in memory); the last one is where the courier then stands still.
        var during = new[] { courier.Fix(Lat + 0.0005, Lon), courier.Fix(Lat + 0.0010, Lon) };
        Assert.Equal(2, (await courier.SendAsync(during)).Accepted);
        var refused = await Assert.ThrowsAsync<HubException>(() => courier.Connection.InvokeAsync(nameof(Dispatch.Core.Contracts.ICourierHub.GoOffline), TestContext.Current.CancellationToken));
        Assert.Contains("Redis cannot be reached", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Retry", refused.Message, StringComparison.Ordinal);

        await redis.RestartAsync();
        // Nothing sent after the restart: the node writes what it acknowledged once Redis answers again.
        await Eventually.WaitForAsync(
            () => server.Redis.GeoPositionAsync(server.Keys.ZoneCouriers("monaco"), FleetKeys.Member(courier.Id)),
            p => p is { } pos && Math.Abs(pos.Latitude - (Lat + 0.0010)) < 1e-5, "the last fix from the outage in the restarted Redis", TimeSpan.FromSeconds(45));
        // The track is PostgreSQL's: the first fix and both from the outage, however Redis fared.
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from track_points where courier_id = $1", courier.Id), n => n == 3, "three track points");
    }

    [Fact]
    public async Task An_accept_and_a_pickup_committed_while_Redis_is_down_succeed_and_the_load_reaches_Redis_after_it_returns_with_no_new_fix()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("redis-down-accept", Lat, Lon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat, pickupLon: Lon));
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "the offer");
        try
        {
            redis.Kill();
            // Committed in PostgreSQL: the courier is told so, not "the command was not carried out" because the load's
            // write to Redis after the commit failed.
            Assert.Equal(order.Id, (await courier.AcceptAsync(offer.OfferId)).Job.OrderId);
            await courier.ArrivedAsync(order.Id);
            await courier.PickedUpAsync(order.Id);
            Assert.Equal((int)Dispatch.Core.Orders.OrderStatus.PickedUp, await server.ScalarAsync("select status from orders where id = $1", order.Id));

            // Nothing sent after the restart: the load is the outbox relay's to write (its batch failed while Redis was away
            // and is handed over again), not the courier's next fix's.
            await redis.RestartAsync();
            var reader = server.Services.GetRequiredService<FleetReader>();
            await Eventually.WaitForAsync(async () => await reader.GetAsync(courier.Id),
                s => s is { ActiveOrders: 1, Activity: Dispatch.Core.Couriers.CourierActivity.Carrying },
                "the courier carrying one order in the restarted Redis", TimeSpan.FromSeconds(45));
        }
        finally
        {
            // Carried: only a dispatcher's failure ends it, so it holds no courier of another test.
            await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/fail", "dispatcher", new { reason = "test over" });
        }
    }

    [Fact]
    public async Task A_cancel_committed_while_Redis_is_down_succeeds_with_the_couriers_withdrawal_in_its_transaction()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("redis-down-cancel", Lat, Lon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat, pickupLon: Lon));
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "the offer");

        redis.Kill();
        // Cancelled in PostgreSQL: the dispatcher is told so, not "the command was not carried out" because the courier's
        // notice, pushed through the backplane after the commit, could not be sent.
        using var cancel = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "customer called" });
        Assert.Equal(System.Net.HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal((int)Dispatch.Core.Orders.OrderStatus.Cancelled, await server.ScalarAsync("select status from orders where id = $1", order.Id));

        // The courier's withdrawal was committed with the cancel, so no crash or outage loses it before the relay hands it over.
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from outbox where order_id = $1 and kind = 'offer.withdrawn' and payload::text like '%cancelled: customer called%'", order.Id));
        await redis.RestartAsync();

        // The withdrawal itself, sent as Redis returns, can miss the courier (published before the backplane subscribed again);
        // the resync after it tells the courier the jobs they hold (none), on which the runner drops its open offer, and
        // pushes again only offers still pending (docs/multi-node.md, "When Redis returns"; OfferPushesTests covers a
        // withdrawal's arrival).
        Assert.Empty((await courier.JobsInHand.NextAsync(timeout: TimeSpan.FromSeconds(30), what: "the courier's jobs after Redis returned")).Jobs);
    }
}
