using Dispatch.Core.Couriers;
using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A batch round reads each waiting order's past offers with the order itself: a courier who declined it sits out its
/// cool-down, and the next courier gets it.
/// </summary>
public sealed class BatchDeclineTests(BatchServer server) : IClassFixture<BatchServer>
{
    [Fact]
    public async Task A_declined_order_goes_to_another_courier_in_the_next_round_not_back_to_the_decliner()
    {
        server.RequireServices();
        var rounds = server.Services.GetRequiredService<BatchRound>();
        await using var near = await server.OnlineCourierAtAsync("decline-near", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0002, Equipment.None, capacity: 2);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody());
        await server.PayAsync(order.Id);
        try
        {
            Assert.Equal(1, await rounds.RunAsync("monaco", CancellationToken.None));
            var first = await near.Offers.NextAsync(o => o.OrderId == order.Id, what: "the order offered to the nearest courier");
            await near.DeclineAsync(first.OfferId, "test: too far for me");

            // Only the decliner is near: the round leaves the order waiting rather than ask them again.
            Assert.Equal(0, await rounds.RunAsync("monaco", CancellationToken.None));
            Assert.DoesNotContain(near.Offers.Drain(), o => o.OrderId == order.Id);

            await using var farther = await server.OnlineCourierAtAsync("decline-farther", DispatchServer.CasinoLat + 0.004, DispatchServer.CasinoLon, Equipment.None, capacity: 2);
            Assert.Equal(1, await rounds.RunAsync("monaco", CancellationToken.None));
            await farther.Offers.NextAsync(o => o.OrderId == order.Id, what: "the declined order offered to the farther courier");
            Assert.DoesNotContain(near.Offers.Drain(), o => o.OrderId == order.Id);
        }
        finally
        {
            await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" });
        }
    }
}
