using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>The whole loop on real services: order → paid → offer → accept → arrived → picked up → delivered with the PIN.</summary>
public sealed class DeliveryLoopTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Order_travels_from_placed_to_delivered_over_messagepack_and_is_recorded_everywhere()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("loop", 43.7390, 7.4270);
        await using var tracking = await server.ConnectTrackingAsync();
        var statuses = new Inbox<OrderStatusChanged>();
        var moves = new Inbox<CourierPosition>();
        tracking.On<OrderStatusChanged>(nameof(ITrackingClient.StatusChanged), statuses.Handler);
        tracking.On<CourierPosition>(nameof(ITrackingClient.CourierMoved), moves.Handler);
        var arriving = new Inbox<CourierArriving>();
        tracking.On<CourierArriving>(nameof(ITrackingClient.Arriving), arriving.Handler);

        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "frozen"));
        Assert.Equal(OrderStatus.Placed, order.Status);
        Assert.Equal(CustomerStep.Placed, Assert.Single(order.CustomerTimeline!).Step); // the merchant's view: the customer's timeline
        Assert.Matches("^[0-9]{4}$", order.Pin!);
        var snapshot = await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        Assert.Equal(order.Id, snapshot.OrderId);

        var paid = await server.PayAsync(order.Id);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, paid.StatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        Assert.True(offer.ExpiresAt > DateTimeOffset.UtcNow);
        Assert.InRange(offer.DistanceToPickupMetres, 0, 200);

        var accepted = await courier.AcceptAsync(offer.OfferId);
        Assert.Equal(order.Id, accepted.Job.OrderId);
        await statuses.NextAsync(s => s.Status == OrderStatus.Accepted, what: "Accepted push");

        // Customer sees the courier move, coarsely before pickup.
        await courier.MoveToAsync(43.7394, 7.4274);
        var coarse = await moves.NextAsync(what: "position push");
        Assert.True(coarse.Coarse);
        Assert.True(coarse.EtaSeconds > 0);

        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        await courier.MoveToAsync(43.73962, 7.42762);
        var exact = await moves.NextAsync(m => !m.Coarse && m.At >= courier.LastFixTime, what: "exact position push after pickup");
        Assert.Equal(43.73962, exact.Lat, 6);

        // To the drop-off (the hand-over is refused farther than 150 m from it): leaving the pickup, then arriving.
        var pickup = new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var dropoff = new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        var away = GeoMath.StepToward(pickup, dropoff, 300);
        Assert.Equal(1, (await courier.MoveToAsync(away.Lat, away.Lon)).Accepted);
        await statuses.NextAsync(s => s.Status == OrderStatus.InTransit, what: "InTransit push");
        Assert.Equal(1, (await courier.MoveToAsync(dropoff.Lat, dropoff.Lon)).Accepted);
        await arriving.NextAsync(what: "pre-arrival push");

        var wrong = order.Pin == "0000" ? "1111" : "0000";
        var refused = await Assert.ThrowsAsync<HubException>(() => courier.DeliveredAsync(order.Id, wrong));
        Assert.Contains("Wrong PIN", refused.Message, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.InTransit, (await server.GetOrderAsync(order.Id)).Status);

        var delivered = await courier.DeliveredAsync(order.Id, order.Pin!);
        Assert.Equal(OrderStatus.Delivered, delivered.Status);
        await statuses.NextAsync(s => s.Status == OrderStatus.Delivered, what: "Delivered push");

        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, view.Status);
        Assert.Equal(courier.Id, view.CourierId);
        Assert.Equal(
            [OrderStatus.Placed, OrderStatus.Paid, OrderStatus.Dispatching, OrderStatus.Offered, OrderStatus.Accepted,
             OrderStatus.ArrivedAtPickup, OrderStatus.PickedUp, OrderStatus.InTransit, OrderStatus.InTransit, OrderStatus.Delivered],
            view.Timeline.Select(t => t.Status));
        Assert.True(view.Timeline.Zip(view.Timeline.Skip(1)).All(p => p.First.At <= p.Second.At), "timeline in time order");
        Assert.All(view.Timeline.Where(t => t.Status >= OrderStatus.Accepted), t => Assert.Equal($"courier:{courier.Id:N}", t.Actor));
        Assert.NotNull(view.Timeline.Single(t => t.Status == OrderStatus.PickedUp).Lat);
        Assert.Equal(Milestones.ArrivingNote, view.Timeline[^2].Note);
        Assert.Equal(10, await server.ScalarAsync("select count(*) from order_events where order_id = $1", order.Id));
        Assert.Equal((long)OrderStatus.Delivered, await server.ScalarAsync("select status from orders where id = $1", order.Id));

        // The courier is in the zone's geo set at the last fix, and the track history reached Postgres by COPY.
        var position = await server.Redis.GeoPositionAsync(server.Keys.ZoneCouriers("monaco"), FleetKeys.Member(courier.Id));
        Assert.NotNull(position);
        Assert.Equal(DispatchServer.FontvieilleLat, position.Value.Latitude, 4);
        await Eventually.WaitForAsync(
            () => server.ScalarAsync("select count(*) from track_points where courier_id = $1", courier.Id),
            n => n >= 3, "3 track points in Postgres");
    }
}
