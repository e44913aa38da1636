using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// A courier who accepts and then goes silent before pickup does not strand the order: the recovery sweep takes it back
/// through the transition path, tells the courier, and it is offered to another courier. After pickup it stays.
/// </summary>
public sealed class AbandonedOrderTests(AbandonSweepServer server) : IClassFixture<AbandonSweepServer>
{
    [Fact]
    public async Task An_order_accepted_by_a_courier_who_went_silent_before_pickup_is_offered_to_another()
    {
        server.RequireServices();
        await using var gone = await server.OnlineCourierAtAsync("gone", 43.7392, 7.4272);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        try
        {
            var offer = await gone.Offers.NextAsync(o => o.OrderId == order.Id, what: "the first offer");
            await gone.AcceptAsync(offer.OfferId);

            // No fix from here on: past the limit the order goes back, and the courier is told.
            var told = await gone.Reassigned.NextAsync(r => r.OrderId == order.Id, TimeSpan.FromSeconds(30), "the notice that the order went to another courier");
            Assert.Contains("offline too long", told.Reason, StringComparison.Ordinal);
            await using var rescuer = await server.OnlineCourierAtAsync("rescuer", 43.7394, 7.4274);
            await rescuer.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "an offer to another courier");

            Assert.Equal(1, await server.ScalarAsync(
                "select count(*) from order_events where order_id = $1 and status = $2 and actor = 'system:recovery' and note like '%silent since%'", order.Id, (int)OrderStatus.Dispatching));
            Assert.Equal(1, await server.ScalarAsync(
                "select count(*) from outbox where order_id = $1 and kind = 'order.status' and payload->>'from' = 'accepted' and payload->>'to' = 'dispatching'", order.Id));
            // The courier's notice is an outbox row of the release's own transaction (a push after the commit could be lost to a
            // crash, or fail with Redis away), written after the move's event so the relay sends it in the order's order.
            Assert.Equal(1, await server.ScalarAsync(
                "select count(*) from outbox r join outbox m on m.order_id = r.order_id and m.kind = 'order.status' and m.payload->>'to' = 'dispatching' and m.created_at = r.created_at and m.id < r.id"
                + " where r.order_id = $1 and r.kind = 'courier.order-reassigned' and r.payload->>'courierId' = $2", order.Id, gone.Id.ToString()));
        }
        finally
        {
            // Left waiting, it would be offered to the next test's courier in its place.
            await EndAsync(order.Id);
        }
    }

    [Fact]
    public async Task An_order_picked_up_by_a_courier_who_went_silent_stays_with_them()
    {
        server.RequireServices();
        await using var carrier = await server.OnlineCourierAtAsync("carrier", 43.7392, 7.4272);
        var carried = await server.CreateOrderAsync();
        var held = await server.CreateOrderAsync();
        try
        {
            await server.PayAsync(carried.Id);
            await carrier.AcceptAsync((await carrier.Offers.NextAsync(o => o.OrderId == carried.Id, what: "the carrier's offer")).OfferId);
            await carrier.MoveToAsync(43.7393, 7.4273); // a fresh fix: the steps below come well within the limit
            await carrier.ArrivedAsync(carried.Id);
            await carrier.PickedUpAsync(carried.Id);
            var version = await server.ScalarAsync("select version from orders where id = $1", carried.Id);

            // A second courier, silent from later on, with an order not picked up: once the sweep takes that one back it has also
            // looked at the carried order, whose courier has been silent longer.
            await using var later = await server.OnlineCourierAtAsync("later", 43.7396, 7.4276);
            await server.PayAsync(held.Id);
            await later.AcceptAsync((await later.Offers.NextAsync(o => o.OrderId == held.Id, what: "the later courier's offer")).OfferId);
            await later.Reassigned.NextAsync(r => r.OrderId == held.Id, TimeSpan.FromSeconds(30), "the held order taken back");

            Assert.Equal(version, await server.ScalarAsync("select version from orders where id = $1", carried.Id));
            Assert.Equal((long)OrderStatus.PickedUp, await server.ScalarAsync("select status from orders where id = $1", carried.Id));
            Assert.Empty(carrier.Reassigned.Drain());
        }
        finally
        {
            await EndAsync(carried.Id);
            await EndAsync(held.Id);
        }
    }

    // Cancelled before pickup, failed after it (a carried order cannot be cancelled), so no order outlives its test.
    private async Task EndAsync(Guid orderId)
    {
        using var cancelled = await server.CallAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", "dispatcher", new { reason = "test over" });
        if (cancelled.StatusCode != System.Net.HttpStatusCode.Conflict) return;
        using var failed = await server.CallAsync(HttpMethod.Post, $"/api/orders/{orderId}/fail", "dispatcher", new { reason = "test over" });
    }
}
