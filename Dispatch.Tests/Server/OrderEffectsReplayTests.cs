using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>
/// A move's effects run from the outbox, after the commit: when they fail, the relay hands the event over again and the
/// customer still hears of the change, once.
/// </summary>
public sealed class OrderEffectsReplayTests(FaultyLoopServer server) : IClassFixture<FaultyLoopServer>
{
    [Fact]
    public async Task A_cancellation_whose_effects_failed_twice_still_reaches_the_customer_once()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        await using var tracking = await server.ConnectTrackingAsync();
        var statuses = new Inbox<OrderStatusChanged>();
        tracking.On<OrderStatusChanged>(nameof(ITrackingClient.StatusChanged), statuses.Handler);
        await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        await WaitProcessedAsync(order.Id); // the creation's event is out of the way

        server.Faults.Arm(OrderEffects.ConsumerName, 2);
        var cancelled = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "customer called" });
        Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());

        var push = await statuses.NextAsync(s => s.OrderId == order.Id, what: "the Cancelled push after the relay's retries");
        Assert.Equal(OrderStatus.Cancelled, push.Status);
        Assert.Equal(2, server.Faults.Thrown(OrderEffects.ConsumerName));
        await WaitProcessedAsync(order.Id);
        Assert.DoesNotContain(statuses.Drain(), s => s.OrderId == order.Id);
    }

    private Task<long> WaitProcessedAsync(Guid orderId) => Eventually.WaitForAsync(
        () => server.ScalarAsync("select count(*) from outbox where order_id = $1 and processed_at is null", orderId), n => n == 0,
        "the order's outbox events processed");
}
