using System.Net;
using Dispatch.Core.Contracts;
using Dispatch.Core.Errands;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>
/// An errand's pushes (a receipt decided, a stop done) go through the outbox (issue 17): committed while Redis is down, the
/// customer's decision and the courier's stop answer with the change, and their pushes are outbox rows of the same commit.
/// A push after the commit used to publish on the backplane at once and fail the committed call.
/// </summary>
public sealed class ErrandPushesTests
{
    [Fact]
    public async Task A_receipt_decided_while_Redis_is_down_answers_with_the_change_and_its_push_is_committed_with_it()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("rd-receipt", DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon + 0.0002);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(priceCapCents: 2500));
        try
        {
            Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
            await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
            await courier.ArrivedAsync(order.Id);
            await courier.PickedUpAsync(order.Id);
            Assert.Equal(ReceiptState.AwaitingCustomer, (await courier.SubmitReceiptAsync(order.Id, 3120)).BuyForMe.Receipt);
            await using var tracking = await server.ConnectTrackingAsync();
            await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!, TestContext.Current.CancellationToken);

            redis.Kill();
            var approved = await tracking.InvokeAsync<ReceiptChanged>(nameof(ITrackingHub.DecideReceipt), order.TrackingToken!, order.Id, true,
                TestContext.Current.CancellationToken);

            Assert.Equal(ReceiptState.Approved, approved.BuyForMe.Receipt);
            Assert.Equal(1, await server.ScalarAsync(
                "select count(*) from orders where id = $1 and receipt_state = $2", order.Id, (int)ReceiptState.Approved));
            // Submitted (for the page) and decided (for the page and the courier): each an outbox row of its own commit.
            Assert.Equal(1, await server.ScalarAsync(
                "select count(*) from outbox where order_id = $1 and kind = 'errand.receipt' and payload->>'tellCourierId' is null", order.Id));
            Assert.Equal(1, await server.ScalarAsync(
                "select count(*) from outbox where order_id = $1 and kind = 'errand.receipt' and payload->>'tellCourierId' = $2", order.Id, courier.Id.ToString()));
            await redis.RestartAsync();
        }
        finally
        {
            await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/fail", "dispatcher", new { reason = "test over" });
        }
    }

    [Fact]
    public async Task A_stop_done_while_Redis_is_down_answers_with_the_stop_and_its_push_is_committed_with_it()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("rd-stop", DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon + 0.0002);
        var order = await server.CreateOrderAsync(MultiStopErrandTests.Body(MultiStopErrandTests.TwoStops()));
        try
        {
            Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
            await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
            await courier.ArrivedAsync(order.Id);
            await courier.PickedUpAsync(order.Id);
            await using var tracking = await server.ConnectTrackingAsync();
            await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!, TestContext.Current.CancellationToken);

            redis.Kill();
            var done = await courier.CompleteStopAsync(order.Id, 0);

            Assert.Equal((1, 2), (done.Done, done.Total));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from orders o, jsonb_array_elements(o.stops) s where o.id = $1 and s->>'doneAt' is not null", order.Id));
            Assert.Equal(1, await server.ScalarAsync(
                "select count(*) from outbox where order_id = $1 and kind = 'errand.stop' and (payload->>'stopIndex')::int = 0", order.Id));
            await redis.RestartAsync();
        }
        finally
        {
            await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/fail", "dispatcher", new { reason = "test over" });
        }
    }
}
