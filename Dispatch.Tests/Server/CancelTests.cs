using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Cancelling before pickup withdraws offers and tells the assigned courier; after pickup it is refused.</summary>
public sealed class CancelTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Cancelling_an_offered_order_withdraws_the_offer()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("cx-offer", 43.7395, 7.4275);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");

        var response = await CancelAsync(order.Id, "dispatcher", "customer changed their mind");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var withdrawn = await courier.Withdrawn.NextAsync(w => w.OfferId == offer.OfferId, what: "withdrawal");
        Assert.Contains("customer changed their mind", withdrawn.Reason, StringComparison.Ordinal);
        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Cancelled, view.Status);
        Assert.Equal("dispatcher:dispatcher-1", view.Timeline[^1].Actor);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 4", offer.OfferId));
    }

    [Fact]
    public async Task Cancelling_an_accepted_order_tells_the_courier_and_after_pickup_it_is_refused()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("cx-accepted", 43.7305, 7.4190);
        var pickupBody = DispatchServer.OrderBody(pickupLat: DispatchServer.FontvieilleLat, pickupLon: DispatchServer.FontvieilleLon, dropoffLat: 43.7350, dropoffLon: 7.4200);

        var accepted = await server.CreateOrderAsync(pickupBody);
        await server.PayAsync(accepted.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == accepted.Id, what: "offer 1")).OfferId);
        Assert.Equal(HttpStatusCode.OK, (await CancelAsync(accepted.Id, "merchant", "out of stock", subject: "shop-1")).StatusCode);
        var notice = await courier.Cancelled.NextAsync(c => c.OrderId == accepted.Id, what: "cancellation notice");
        Assert.Equal("out of stock", notice.Reason);

        var carried = await server.CreateOrderAsync(pickupBody);
        await server.PayAsync(carried.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == carried.Id, what: "offer 2")).OfferId);
        await courier.ArrivedAsync(carried.Id);
        await courier.PickedUpAsync(carried.Id);
        var refused = await CancelAsync(carried.Id, "dispatcher", "too late");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("can no longer be cancelled", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(OrderStatus.PickedUp, (await server.GetOrderAsync(carried.Id)).Status);
    }

    [Fact]
    public async Task Another_merchant_cannot_cancel_and_a_reason_is_required()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(merchant: "shop-1");
        Assert.Equal(HttpStatusCode.NotFound, (await CancelAsync(order.Id, "merchant", "nope", subject: "shop-2")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await CancelAsync(order.Id, "dispatcher", " ")).StatusCode);
        Assert.Equal(OrderStatus.Placed, (await server.GetOrderAsync(order.Id)).Status);
    }

    private async Task<HttpResponseMessage> CancelAsync(Guid orderId, string role, string reason, string? subject = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{orderId}/cancel") { Content = JsonContent.Create(new { reason }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync(role, subject ?? $"{role}-1"));
        return await server.Http.SendAsync(request);
    }
}
