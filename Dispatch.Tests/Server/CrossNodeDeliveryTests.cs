using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Three nodes on one database and Redis: a courier on node A, the customer's tracking hub on node B and a dispatcher's board
/// on node C each see the others' changes live, from the offer to the delivery.
/// </summary>
public sealed class CrossNodeDeliveryTests(MultiNodeServer server) : IClassFixture<MultiNodeServer>
{
    [Fact]
    public async Task Courier_customer_and_dispatcher_on_three_nodes_see_one_delivery_live()
    {
        server.RequireServices();
        await using var b = await server.NodeAsync();
        await using var c = await server.NodeAsync();
        await using var courier = await server.OnlineCourierAtAsync("nodes-a", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0002);

        await using var tracking = new HubConnectionBuilder().WithUrl(new Uri(b.Http.BaseAddress!, HubPaths.Tracking)).AddMessagePackProtocol().Build();
        var statuses = new Inbox<OrderStatusChanged>();
        var moves = new Inbox<CourierPosition>();
        tracking.On<OrderStatusChanged>(nameof(ITrackingClient.StatusChanged), statuses.Handler);
        tracking.On<CourierPosition>(nameof(ITrackingClient.CourierMoved), moves.Handler);
        await tracking.StartAsync();

        var token = await server.TokenAsync("dispatcher", "dispatcher-1");
        await using var board = new HubConnectionBuilder()
            .WithUrl(new Uri(c.Http.BaseAddress!, HubPaths.ControlRoom), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddMessagePackProtocol().Build();
        var frames = new Inbox<BoardFrame>();
        board.On<BoardFrame>(nameof(IControlRoomClient.Frame), frames.Handler);
        await board.StartAsync();
        await board.InvokeAsync<BoardFrame>(nameof(IControlRoomHub.Watch), "monaco");

        // The zone's dispatcher may be any of the three nodes (whichever holds its lease).
        var order = await server.CreateOrderAsync();
        await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "the offer on node A");
        await frames.NextAsync(f => f.Orders?.Any(o => o.OrderId == order.Id && o.Status == OrderStatus.Offered) == true, what: "the offer on node C's board");

        await courier.AcceptAsync(offer.OfferId);
        await statuses.NextAsync(s => s.OrderId == order.Id && s.Status == OrderStatus.Accepted, what: "the accept on node B's tracking");
        await frames.NextAsync(f => f.Orders?.Any(o => o.OrderId == order.Id && o.Status == OrderStatus.Accepted && o.CourierId == courier.Id) == true,
            what: "the accept on node C's board");

        await courier.MoveToAsync(43.7394, 7.4274);
        await moves.NextAsync(m => m.OrderId == order.Id, what: "the courier's position on node B's tracking");
        await frames.NextAsync(f => f.Couriers.Any(x => x.CourierId == courier.Id && Math.Abs(x.Lat - 43.7394) < 1e-6), what: "the courier's position on node C's board");

        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        var away = GeoMath.StepToward(new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon), new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon), 300);
        await courier.MoveToAsync(away.Lat, away.Lon);
        await courier.DeliverAtDropoffAsync(order);
        await statuses.NextAsync(s => s.OrderId == order.Id && s.Status == OrderStatus.Delivered, what: "the delivery on node B's tracking");
        await frames.NextAsync(f => f.RemovedOrders?.Contains(order.Id) == true, what: "the delivered order leaving node C's board");
    }

    [Fact]
    public async Task A_cancel_on_another_node_reaches_the_courier_s_node()
    {
        server.RequireServices();
        await using var b = await server.NodeAsync();
        await using var courier = await server.OnlineCourierAtAsync("nodes-cancel", 43.7440, 7.4300);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: 43.7440, pickupLon: 7.4300, dropoffLat: 43.7470, dropoffLon: 7.4330));
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "offer")).OfferId);
        var book = server.Services.GetRequiredService<Dispatch.Server.Fleet.AssignmentBook>();
        var sessions = server.Services.GetRequiredService<Dispatch.Server.Fleet.OnlineCouriers>();
        Assert.Contains(book.For(courier.Id), a => a.OrderId == order.Id);

        // A dispatcher cancels through node B; the courier's session and live pushes are on node A.
        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{order.Id}/cancel") { Content = System.Net.Http.Json.JsonContent.Create(new { reason = "customer called" }) };
        cancel.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await server.TokenAsync("dispatcher", "dispatcher-1"));
        Assert.True((await b.Http.SendAsync(cancel)).IsSuccessStatusCode);

        await Eventually.WaitForAsync(() => Task.FromResult(book.For(courier.Id).Any(a => a.OrderId == order.Id)), held => !held,
            "node A no longer pushing the cancelled order's tracking");
        Assert.Equal(0, sessions.Find(courier.Id)!.ActiveOrders);
        await Eventually.WaitForAsync(async () => (await server.Services.GetRequiredService<Dispatch.Server.Fleet.FleetReader>().GetAsync(courier.Id))?.ActiveOrders,
            n => n == 0, "the courier's load in Redis back to 0");
    }
}
