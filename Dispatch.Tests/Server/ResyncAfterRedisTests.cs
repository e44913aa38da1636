using System.Net;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// What pub/sub lost while Redis was away is healed when it returns (issue 20, <c>Resync/ResyncAfterRedisReturns</c>): each
/// test publishes its message while Redis is down, so it can only reach the node through the resync. Redis is a scratch
/// process of the test's own, SIGKILLed and started again (empty, as after a crash without persistence).
/// </summary>
public sealed class ResyncAfterRedisTests
{
    private const double Lat = 43.7390, Lon = 7.4240;

    [Fact]
    public async Task A_courier_suspended_while_Redis_is_away_loses_their_offers_and_orders_at_once_and_is_closed_once_it_returns()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        var id = await server.RegisterCourierAsync("rita.resync");
        await server.ApproveAsync(id, Equipment.None, capacity: 2);
        var courier = await server.ConnectAsAsync("rita.resync", id);
        await courier.GoOnlineAsync(Equipment.None);
        Assert.Equal(1, (await courier.MoveToAsync(Lat, Lon)).Accepted);
        await server.WaitInGeoSetAsync(id, Lat, Lon);
        // One order accepted (before pickup), a second one offered to them and still pending.
        var held = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat, pickupLon: Lon, dropoffLat: Lat + 0.003, dropoffLon: Lon + 0.003));
        var offered = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat, pickupLon: Lon, dropoffLat: Lat + 0.002, dropoffLon: Lon + 0.003));
        try
        {
            await server.PayAsync(held.Id);
            await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == held.Id, TimeSpan.FromSeconds(20), "the offer of the order they keep")).OfferId);
            await server.PayAsync(offered.Id);
            var offer = await courier.Offers.NextAsync(o => o.OrderId == offered.Id, TimeSpan.FromSeconds(20), "the offer left pending");

            redis.Kill();
            // Stored in PostgreSQL with everything that needs no Redis; the eviction's publish fails, and the admin is told so.
            using (var suspend = await server.ReviewAsync(id, "suspend", new { reason = "Customer complaints under review." }))
            {
                Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
                Assert.Equal("deferred", Assert.Single(suspend.Headers.GetValues("X-Eviction")));
            }
            Assert.Equal(1, await server.ScalarAsync("select count(*) from couriers where id = $1 and suspended_at is not null", id));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and courier_id is null and status = $2", held.Id, (int)OrderStatus.Dispatching));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from outbox where order_id = $1 and kind = 'courier.order-reassigned'", held.Id));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 4", offer.OfferId)); // Withdrawn
            Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and status = $2", offered.Id, (int)OrderStatus.Dispatching));
            Assert.Empty(courier.Ended.Drain());
            await redis.RestartAsync();

            Assert.Contains("suspended", (await courier.Ended.NextAsync(timeout: TimeSpan.FromSeconds(30), what: "the session-ended message after Redis returned")).Reason,
                StringComparison.Ordinal);
            await courier.Closed.NextAsync(what: "the server closing the suspended courier's connection");
            Assert.False(server.Services.GetRequiredService<OnlineCouriers>().Find(id)?.Online ?? false);
        }
        finally
        {
            foreach (var order in new[] { held, offered })
            {
                using var cancelled = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" });
            }
            await courier.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_courier_account_suspended_while_Redis_is_away_is_answered_200_and_closed_once_it_returns()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        var id = await server.RegisterCourierAsync("cora.resync");
        await server.ApproveAsync(id, Equipment.None, capacity: 1);
        await using var courier = await server.ConnectAsAsync("cora.resync", id);
        await courier.GoOnlineAsync(Equipment.None);

        redis.Kill();
        // Stored and signed out everywhere in PostgreSQL; only the eviction's publish waits for Redis, and the admin is told so.
        using (var suspend = await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/cora.resync/suspend", "admin"))
        {
            Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
            Assert.Equal("deferred", Assert.Single(suspend.Headers.GetValues("X-Eviction")));
        }
        Assert.Equal(1, await server.ScalarAsync("select count(*) from accounts where courier_id = $1 and suspended_at is not null", id));
        Assert.Empty(courier.Ended.Drain());
        await redis.RestartAsync();

        Assert.Contains("suspended", (await courier.Ended.NextAsync(timeout: TimeSpan.FromSeconds(30), what: "the session-ended message after Redis returned")).Reason,
            StringComparison.Ordinal);
        await courier.Closed.NextAsync(what: "the server closing the suspended account's connection");
    }

    [Fact]
    public async Task A_courier_whose_order_was_cancelled_on_another_node_while_Redis_was_away_has_the_right_load_and_pages_refresh_once_it_returns()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        await using var b = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server));
        await using var courier = await server.OnlineCourierAtAsync("resync-cancel", Lat, Lon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat, pickupLon: Lon, dropoffLat: Lat + 0.003, dropoffLon: Lon + 0.003));
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "the offer")).OfferId);
        // The customer's page and a dispatcher's board on node A too: pushes and frames to them may be lost as well.
        await using var tracking = await server.ConnectTrackingAsync();
        var pageRefreshes = new Inbox<bool>();
        tracking.On(nameof(ITrackingClient.Refresh), () => pageRefreshes.Handler(true));
        await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        var dispatcherToken = await server.TokenAsync("dispatcher", "dispatcher-1");
        await using var board = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseUrl, HubPaths.ControlRoom), o => o.AccessTokenProvider = () => Task.FromResult<string?>(dispatcherToken))
            .AddMessagePackProtocol()
            .Build();
        var boardRefreshes = new Inbox<bool>();
        board.On(nameof(IControlRoomClient.Refresh), () => boardRefreshes.Handler(true));
        await board.StartAsync();
        await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");
        var book = server.Services.GetRequiredService<AssignmentBook>();
        var fleet = server.Services.GetRequiredService<FleetReader>();
        Assert.Contains(book.For(courier.Id), a => a.OrderId == order.Id);
        await Eventually.WaitForAsync(async () => (await fleet.GetAsync(courier.Id))?.ActiveOrders, n => n == 1, "the courier's load of 1 in Redis");

        redis.Kill();
        // Cancelled through node B: its courier-orders message to node A (the courier's node) is lost with Redis.
        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{order.Id}/cancel") { Content = System.Net.Http.Json.JsonContent.Create(new { reason = "customer called" }) };
        cancel.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", dispatcherToken);
        using (var cancelled = await b.Http.SendAsync(cancel)) Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        // Node A's book still holds the order unless A's own relay claimed the cancel's event (either node's may): then its
        // reload already dropped it, and only its Redis write failed. Either way Redis is healed by the resync below.
        await redis.RestartAsync();

        // Node A reloads the courier from PostgreSQL and writes their state to the emptied Redis: load 0, order gone, and
        // the courier's app is told the jobs it holds (none).
        var held = await courier.JobsInHand.NextAsync(timeout: TimeSpan.FromSeconds(30), what: "the courier's jobs after Redis returned");
        Assert.DoesNotContain(held.Jobs, j => j.OrderId == order.Id);
        Assert.DoesNotContain(book.For(courier.Id), a => a.OrderId == order.Id);
        Assert.Equal(0, server.Services.GetRequiredService<OnlineCouriers>().Find(courier.Id)!.ActiveOrders);
        await Eventually.WaitForAsync(async () => (await fleet.GetAsync(courier.Id))?.ActiveOrders, n => n == 0, "the courier's load of 0 in Redis");
        await pageRefreshes.NextAsync(what: "the tracking page told to refresh");
        await boardRefreshes.NextAsync(what: "the board told to refresh");
    }
}
