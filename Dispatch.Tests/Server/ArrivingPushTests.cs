using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>
/// The courier's pre-arrival notice reaches the tracking page from the outbox relay (issue 17), not from the node that
/// committed it: its outbox row commits with the timeline row, and the push goes out when the relay's hand-over succeeds.
/// </summary>
public sealed class ArrivingPushTests(FaultyLoopServer server) : IClassFixture<FaultyLoopServer>
{
    [Fact]
    public async Task A_pre_arrival_notice_is_sent_by_the_relay_after_its_failed_hand_overs()
    {
        server.RequireServices();
        var pickup = new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var dropoff = new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        await using var courier = await server.OnlineCourierAtAsync("replay-arriving", pickup.Lat, pickup.Lon);
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
        await WaitProcessedAsync(order.Id);

        // The notice's outbox row commits with its timeline row; the push goes out only when the relay's third hand-over of
        // it succeeds (a push straight after the commit, as before, came ahead of the relay's failures).
        server.Faults.Arm(OrderEffects.ConsumerName, 2);
        var near = GeoMath.StepToward(dropoff, pickup, 150);
        Assert.Equal(1, (await courier.MoveToAsync(near.Lat, near.Lon)).Accepted);
        var notice = await arriving.NextAsync(a => a.OrderId == order.Id, what: "the pre-arrival notice after the relay's retries");
        Assert.Equal(2, server.Faults.Thrown(OrderEffects.ConsumerName));
        Assert.InRange(notice.EtaSeconds, 0, 120);
        await WaitProcessedAsync(order.Id);
        Assert.Empty(arriving.Drain());

        var closer = GeoMath.StepToward(dropoff, pickup, 50);
        Assert.Equal(1, (await courier.MoveToAsync(closer.Lat, closer.Lon)).Accepted);
        await server.WaitInGeoSetAsync(courier.Id, closer.Lat, closer.Lon);
        await courier.DeliveredAsync(order.Id, order.Pin!);
    }

    private Task<long> WaitProcessedAsync(Guid orderId) => Eventually.WaitForAsync(
        () => server.ScalarAsync("select count(*) from outbox where order_id = $1 and processed_at is null", orderId), n => n == 0,
        "the order's outbox events processed");
}
