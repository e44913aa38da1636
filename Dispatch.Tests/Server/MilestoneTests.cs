using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>Movement milestones: leaving the pickup puts the order in transit; nearing the drop-off tells the customer once.</summary>
public sealed class MilestoneTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Leaving_the_pickup_and_nearing_the_drop_off_are_recorded_and_pushed()
    {
        server.RequireServices();
        var pickup = new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var dropoff = new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        await using var courier = await server.OnlineCourierAtAsync("ms", pickup.Lat, pickup.Lon);
        var order = await server.CreateOrderAsync();
        await using var tracking = await server.ConnectTrackingAsync();
        var statuses = new Inbox<OrderStatusChanged>();
        var arriving = new Inbox<CourierArriving>();
        tracking.On<OrderStatusChanged>(nameof(ITrackingClient.StatusChanged), statuses.Handler);
        tracking.On<CourierArriving>(nameof(ITrackingClient.Arriving), arriving.Handler);
        await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);

        var away = GeoMath.StepToward(pickup, dropoff, 300);
        Assert.Equal(1, (await courier.MoveToAsync(away.Lat, away.Lon)).Accepted);
        await statuses.NextAsync(s => s.Status == OrderStatus.InTransit, what: "InTransit after leaving the pickup");
        Assert.Empty(arriving.Drain());

        var near = GeoMath.StepToward(dropoff, pickup, 150);
        Assert.Equal(1, (await courier.MoveToAsync(near.Lat, near.Lon)).Accepted);
        var notice = await arriving.NextAsync(what: "pre-arrival notice");
        Assert.InRange(notice.EtaSeconds, 0, 120);
        var closer = GeoMath.StepToward(dropoff, pickup, 50);
        Assert.Equal(1, (await courier.MoveToAsync(closer.Lat, closer.Lon)).Accepted);
        await server.WaitInGeoSetAsync(courier.Id, closer.Lat, closer.Lon);

        await courier.DeliveredAsync(order.Id, order.Pin!);
        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(
            [OrderStatus.Placed, OrderStatus.Paid, OrderStatus.Dispatching, OrderStatus.Offered, OrderStatus.Accepted,
             OrderStatus.ArrivedAtPickup, OrderStatus.PickedUp, OrderStatus.InTransit, OrderStatus.InTransit, OrderStatus.Delivered],
            view.Timeline.Select(t => t.Status));
        Assert.Single(view.Timeline, t => t.Note == Milestones.ArrivingNote);

        // The promises made at accept and at pickup are kept beside the delivery time, and scored.
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from orders where id = $1 and eta_at_accept is not null and eta_at_pickup is not null and delivered_at is not null", order.Id));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/metrics/eta?hours=1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await server.TokenAsync("dispatcher", "d-1"));
        var rows = await (await server.Http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        var monaco = Assert.Single(rows.EnumerateArray(), r => r.GetProperty("zone").GetString() == "monaco");
        Assert.True(monaco.GetProperty("delivered").GetInt64() >= 1);
        Assert.True(monaco.GetProperty("maeAtAcceptSeconds").GetDouble() >= 0);
        Assert.InRange(monaco.GetProperty("lateShareAtPickup").GetDouble(), 0, 1);
    }
}
