using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Auth;
using Dispatch.Server.Orders;
using Dispatch.Server.Tracking;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>A tracking token opens exactly one order: its holder sees that order's courier and nothing of any other.</summary>
public sealed class TrackingIsolationTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Each_token_sees_only_its_own_order()
    {
        server.RequireServices();
        await using var c1 = await server.OnlineCourierAtAsync("trk-1", 43.7396, 7.4276);
        await using var c2 = await server.OnlineCourierAtAsync("trk-2", 43.7309, 7.4197);
        var o1 = await AssignedOrderAsync(c1, DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var o2 = await AssignedOrderAsync(c2, DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);

        await using var t1 = await server.ConnectTrackingAsync();
        await using var t2 = await server.ConnectTrackingAsync();
        var seen1 = new Inbox<CourierPosition>();
        var seen2 = new Inbox<CourierPosition>();
        t1.On<CourierPosition>(nameof(ITrackingClient.CourierMoved), seen1.Handler);
        t2.On<CourierPosition>(nameof(ITrackingClient.CourierMoved), seen2.Handler);
        var s1 = await t1.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), o1.TrackingToken!);
        var s2 = await t2.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), o2.TrackingToken!);
        Assert.Equal(o1.Id, s1.OrderId);
        Assert.Equal(o2.Id, s2.OrderId);
        Assert.Equal(c1.Name.Split(' ')[0], s1.CourierName);
        Assert.Matches(@"^\d{3}\*{6}\d{3}$", s1.CourierPhoneMasked!); // 12 digits: at least half hidden

        // Moves of ~700 m: before pickup customers see a coarse position (300 m grid), and only a change is pushed.
        await c2.MoveToAsync(43.7370, 7.4199);
        var m2 = await seen2.NextAsync(what: "order 2 position");
        Assert.Equal(o2.Id, m2.OrderId);
        await c1.MoveToAsync(43.7460, 7.4278);
        var m1 = await seen1.NextAsync(what: "order 1 position");
        Assert.Equal(o1.Id, m1.OrderId);
        // c2 moved before c1, so anything of c2's for token 1 would have arrived by now.
        Assert.All(seen1.Drain(), m => Assert.Equal(o1.Id, m.OrderId));
        Assert.All(seen2.Drain(), m => Assert.Equal(o2.Id, m.OrderId));
    }

    [Fact]
    public async Task Forged_and_expired_tokens_are_refused_with_a_clear_message()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        await using var t = await server.ConnectTrackingAsync();

        var token = order.TrackingToken!;
        var forged = DispatchServer.Forged(token);
        var invalid = await Assert.ThrowsAsync<HubException>(() => t.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), forged));
        Assert.Contains(TrackingHub.InvalidMessage, invalid.Message, StringComparison.Ordinal);
        var garbage = await Assert.ThrowsAsync<HubException>(() => t.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), "not-a-token"));
        Assert.Contains(TrackingHub.InvalidMessage, garbage.Message, StringComparison.Ordinal);

        var expiredToken = server.Services.GetRequiredService<TrackingLinks>().Create(order.Id, DateTimeOffset.UtcNow.AddMinutes(-1));
        var expired = await Assert.ThrowsAsync<HubException>(() => t.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), expiredToken));
        Assert.Contains(TrackingHub.ExpiredMessage, expired.Message, StringComparison.Ordinal);
    }

    private async Task<OrderView> AssignedOrderAsync(TestCourier courier, double lat, double lon)
    {
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: lat, pickupLon: lon, dropoffLat: 43.7350, dropoffLon: 7.4200));
        await server.PayAsync(order.Id);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        await courier.AcceptAsync(offer.OfferId);
        Assert.Equal(OrderStatus.Accepted, (await server.GetOrderAsync(order.Id)).Status);
        return order;
    }
}
