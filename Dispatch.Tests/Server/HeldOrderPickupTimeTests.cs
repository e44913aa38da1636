using Dispatch.Core.Couriers;
using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A batch round reads when each order on board was picked up (<see cref="CourierTrips"/>, only for orders on board): the
/// cold-chain budget of frozen goods counts from that moment, so a courier who picked them up long ago gets no new stop
/// before their drop-off, while the same courier who picked them up just now does.
/// </summary>
public sealed class HeldOrderPickupTimeTests(BatchServer server) : IClassFixture<BatchServer>
{
    [Fact]
    public async Task Frozen_goods_picked_up_long_ago_keep_their_courier_from_another_pickup_first()
    {
        server.RequireServices();
        var rounds = server.Services.GetRequiredService<BatchRound>();
        await using var courier = await server.OnlineCourierAtAsync("held-pickup", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0002, Equipment.InsulatedBox, capacity: 3);
        var orders = new List<Guid>();
        try
        {
            var onBoard = await PaidFrozenAsync(orders);
            Assert.Equal(1, await rounds.RunAsync("monaco", CancellationToken.None));
            await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == onBoard, what: "the first frozen order's offer")).OfferId);
            await courier.ArrivedAsync(onBoard);
            await courier.PickedUpAsync(onBoard);

            // Picked up just now: another frozen order from the same place fits before its drop-off.
            var fits = await PaidFrozenAsync(orders);
            Assert.Equal(1, await rounds.RunAsync("monaco", CancellationToken.None));
            var offer = await courier.Offers.NextAsync(o => o.OrderId == fits, what: "a second frozen order offered while the first is fresh");
            await courier.DeclineAsync(offer.OfferId, "test: free the courier for the next round");

            // The same goods on board for 29 of their 30 minutes: no new order may come first.
            Assert.Equal(1, await server.ScalarAsync(
                "with moved as (update order_events set at = at - interval '29 minutes' where order_id = $1 and status = $2 returning 1) select count(*) from moved",
                onBoard, (int)Dispatch.Core.Orders.OrderStatus.PickedUp));
            var tooLate = await PaidFrozenAsync(orders);
            Assert.Equal(0, await rounds.RunAsync("monaco", CancellationToken.None));
            Assert.DoesNotContain(courier.Offers.Drain(), o => o.OrderId == tooLate);
        }
        finally
        {
            foreach (var id in orders) await server.CallAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", "dispatcher", new { reason = "test over" });
        }
    }

    private async Task<Guid> PaidFrozenAsync(List<Guid> orders)
    {
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "frozen"));
        await server.PayAsync(order.Id);
        orders.Add(order.Id);
        return order.Id;
    }
}
