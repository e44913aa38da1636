using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>
/// A dispatcher marks a carried order failed on the real server, PostgreSQL and Redis: the courier and the customer's page
/// are told, the timeline keeps the reason, and the courier's load is released. Before pickup, or for anyone else, nothing changes.
/// </summary>
public sealed class FailOrderTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_dispatcher_fails_an_order_in_transit_and_the_courier_is_free_for_new_work()
    {
        server.RequireServices();
        var pickup = new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var dropoff = new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        await using var courier = await server.OnlineCourierAtAsync("fail-transit", pickup.Lat, pickup.Lon, capacity: 1);
        await using var tracking = await server.ConnectTrackingAsync();
        var statuses = new Inbox<OrderStatusChanged>();
        tracking.On<OrderStatusChanged>(nameof(ITrackingClient.StatusChanged), statuses.Handler);
        var order = await server.CreateOrderAsync();
        await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        var away = GeoMath.StepToward(pickup, dropoff, 300);
        Assert.Equal(1, (await courier.MoveToAsync(away.Lat, away.Lon)).Accepted); // left the pickup: in transit
        await statuses.NextAsync(s => s.OrderId == order.Id && s.Status == OrderStatus.InTransit, what: "InTransit push");

        var response = await PostFailAsync(order.Id, "scooter crashed, sorbet lost", "dispatcher", "d-fail");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notice = await courier.Cancelled.NextAsync(c => c.OrderId == order.Id, what: "failure notice to the courier");
        Assert.True(notice.Failed, "the courier is told the order failed, not that it was cancelled");
        Assert.Contains("scooter crashed, sorbet lost", notice.Reason, StringComparison.Ordinal);
        await statuses.NextAsync(s => s.OrderId == order.Id && s.Status == OrderStatus.Failed, what: "Failed push to the tracking page");
        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Failed, view.Status);
        var row = view.Timeline[^1];
        Assert.Equal((OrderStatus.Failed, "dispatcher:d-fail", "scooter crashed, sorbet lost"), (row.Status, row.Actor, row.Note));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and tracking_expires_at <= now() + interval '61 minutes'", order.Id));

        // Capacity 1: an offer for the next order proves the failed one no longer counts against the courier.
        var next = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: away.Lat, pickupLon: away.Lon));
        await server.PayAsync(next.Id);
        await courier.Offers.NextAsync(o => o.OrderId == next.Id, what: "offer of a new order after the failure");

        // Left pending, this offer expires after 20 s and the order goes to the other test's courier, whose own offer then
        // waits behind it (one pending offer per courier): the class's second test saw no offer within 15 s.
        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{next.Id}/cancel") { Content = JsonContent.Create(new { reason = "test over" }, options: DispatchServer.Json) };
        cancel.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.MerchantTokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(cancel)).StatusCode);
    }

    [Fact]
    public async Task Failing_before_pickup_or_without_the_dispatcher_role_is_refused_and_changes_nothing()
    {
        server.RequireServices();
        // Away from the other test's courier, which its disconnect leaves online (a dropped connection does not take a
        // courier offline): an order here is this courier's, whichever test ran first.
        const double lat = 43.7455, lon = 7.4350;
        await using var courier = await server.OnlineCourierAtAsync("fail-early", lat, lon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: lat, pickupLon: lon));
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        var before = await RowAsync(order.Id);

        var early = await PostFailAsync(order.Id, "courier gave up", "dispatcher");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("cancel it instead", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await RowAsync(order.Id));

        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        before = await RowAsync(order.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFailAsync(order.Id, "let me off", "courier", courier.Id.ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFailAsync(order.Id, "never mind", "merchant", "shop-1")).StatusCode);
        var noReason = await PostFailAsync(order.Id, " ", "dispatcher");
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(before, await RowAsync(order.Id));
        Assert.Equal(OrderStatus.PickedUp, (await server.GetOrderAsync(order.Id)).Status);
    }

    private async Task<(long Status, long Version, long Events)> RowAsync(Guid orderId) => (
        await server.ScalarAsync("select status from orders where id = $1", orderId),
        await server.ScalarAsync("select version from orders where id = $1", orderId),
        await server.ScalarAsync("select count(*) from order_events where order_id = $1 and note is distinct from 'arriving'", orderId));

    private async Task<HttpResponseMessage> PostFailAsync(Guid orderId, string reason, string role, string? subject = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{orderId}/fail") { Content = JsonContent.Create(new { reason }, options: DispatchServer.Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync(role, subject ?? $"{role}-1"));
        return await server.Http.SendAsync(request);
    }
}
