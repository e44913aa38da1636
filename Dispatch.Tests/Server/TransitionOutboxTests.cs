using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// Every status change commits with its outbox event: the class's database refuses (at commit) an order created or moved
/// without one (<see cref="OutboxGuard"/>), and each order's events read as its life, in order.
/// </summary>
public sealed class TransitionOutboxTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task An_order_delivered_has_one_outbox_event_per_move_in_order()
    {
        server.RequireServices();
        await OutboxGuard.InstallAsync(server.Db);
        await using var courier = await server.OnlineCourierAtAsync("outbox", 43.7390, 7.4270);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        await courier.AcceptAsync(offer.OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        var pickup = new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var dropoff = new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        var away = GeoMath.StepToward(pickup, dropoff, 300);
        await courier.MoveToAsync(away.Lat, away.Lon);
        await Eventually.WaitForAsync(async () => (await server.GetOrderAsync(order.Id)).Status, s => s == OrderStatus.InTransit, "the milestone's InTransit");
        await courier.MoveToAsync(dropoff.Lat, dropoff.Lon);
        await courier.DeliveredAsync(order.Id, order.Pin!);

        Assert.Equal(
            ["placed>placed", "placed>paid", "paid>dispatching", "dispatching>offered", "offered>accepted", "accepted>arrivedAtPickup",
             "arrivedAtPickup>pickedUp", "pickedUp>inTransit", "inTransit>delivered"],
            await OutboxGuard.MovesAsync(server.Db, order.Id));
    }

    [Fact]
    public async Task A_decline_a_cancel_and_a_failure_each_commit_their_event()
    {
        server.RequireServices();
        await OutboxGuard.InstallAsync(server.Db);
        await using var courier = await server.OnlineCourierAtAsync("outbox-2", 43.7390, 7.4270);
        var declined = await server.CreateOrderAsync();
        await server.PayAsync(declined.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == declined.Id, what: "offer to decline");
        await courier.DeclineAsync(offer.OfferId, "no room");
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from outbox where order_id = $1 and payload->>'from' = 'offered' and payload->>'to' = 'dispatching' and payload->>'note' like 'declined by courier%'", declined.Id));
        var cancelled = await server.CallAsync(HttpMethod.Post, $"/api/orders/{declined.Id}/cancel", "dispatcher", new { reason = "customer called" });
        Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());
        Assert.Equal("dispatching>cancelled", (await OutboxGuard.MovesAsync(server.Db, declined.Id))[^1]);

        var failed = await server.CreateOrderAsync();
        await server.PayAsync(failed.Id);
        var second = await courier.Offers.NextAsync(o => o.OrderId == failed.Id, what: "offer to carry");
        await courier.AcceptAsync(second.OfferId);
        await courier.ArrivedAsync(failed.Id);
        await courier.PickedUpAsync(failed.Id);
        var fail = await server.CallAsync(HttpMethod.Post, $"/api/orders/{failed.Id}/fail", "dispatcher", new { reason = "goods damaged" });
        Assert.True(fail.IsSuccessStatusCode, await fail.Content.ReadAsStringAsync());
        Assert.Equal("pickedUp>failed", (await OutboxGuard.MovesAsync(server.Db, failed.Id))[^1]);
    }

    [Fact]
    public async Task The_guard_refuses_a_status_write_without_an_event()
    {
        // The guard itself can fail: a bare status UPDATE is refused at commit.
        server.RequireServices();
        await OutboxGuard.InstallAsync(server.Db);
        var order = await server.CreateOrderAsync();
        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => server.ScalarAsync(
            "with u as (update orders set status = 1 where id = $1 returning 1) select count(*) from u", order.Id));
        Assert.Contains("without an outbox row", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Placed, (await server.GetOrderAsync(order.Id)).Status);
    }
}
