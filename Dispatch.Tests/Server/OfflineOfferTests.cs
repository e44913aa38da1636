using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A courier who goes offline, or whom the presence sweep takes out as silent, loses their pending offers at once: the
/// courier is told, the order goes to the next courier, and the old offer cannot be accepted. Each test at its own spot.
/// </summary>
public sealed class OfflineOfferTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Going_offline_withdraws_the_pending_offer_and_the_order_goes_to_the_next_courier()
    {
        server.RequireServices();
        const double lat = 43.7440, lon = 7.4320;
        await using var near = await server.OnlineCourierAtAsync("off-near", lat, lon);
        await using var next = await server.OnlineCourierAtAsync("off-next", lat + 0.002, lon + 0.002);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: lat, pickupLon: lon, dropoffLat: lat - 0.003, dropoffLon: lon));
        await server.PayAsync(order.Id);
        // Whichever of the two is offered first (the nearer one, unless its position lands in Redis a moment later on a loaded
        // machine) goes offline; the other must then get the order. Both waits start now so neither offer can be missed.
        var toNear = near.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(30), "offer to off-near");
        var toNext = next.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(30), "offer to off-next");
        var nearFirst = await Task.WhenAny(toNear, toNext) == toNear;
        var (holder, other, otherOffer) = nearFirst ? (near, next, toNext) : (next, near, toNear);
        var offer = await (nearFirst ? toNear : toNext);

        await holder.Connection.InvokeAsync(nameof(ICourierHub.GoOffline));
        var withdrawn = await holder.Withdrawn.NextAsync(w => w.OfferId == offer.OfferId, what: "OfferWithdrawn after going offline");
        Assert.Contains("went offline", withdrawn.Reason, StringComparison.Ordinal);
        var second = await otherOffer;
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 4 and reason = 'courier went offline'", offer.OfferId));

        var before = await RowAsync(order.Id);
        var refused = await Assert.ThrowsAsync<HubException>(() => holder.AcceptAsync(offer.OfferId));
        Assert.Contains("Go online before accepting offers", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await RowAsync(order.Id));
        Assert.Equal((long)OrderStatus.Offered, before.Status);
        Assert.Equal(0, before.Couriers);

        Assert.Equal(OrderStatus.Accepted, (await other.AcceptAsync(second.OfferId)).Job.Status);
    }

    [Fact]
    public async Task A_courier_the_sweep_takes_out_as_silent_loses_the_pending_offer()
    {
        server.RequireServices();
        const double lat = 43.7275, lon = 7.4140;
        await using var silent = await server.OnlineCourierAtAsync("sweep-silent", lat, lon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: lat, pickupLon: lon, dropoffLat: lat + 0.003, dropoffLon: lon));
        await server.PayAsync(order.Id);
        var offer = await silent.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");

        // As if the courier had stopped reporting five minutes ago (the limit is 90 s).
        await server.Redis.SortedSetAddAsync(server.Keys.ZoneLastSeen("monaco"), FleetKeys.Member(silent.Id), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        await server.Services.GetRequiredService<PresenceSweepService>().SweepAsync(CancellationToken.None);

        var withdrawn = await silent.Withdrawn.NextAsync(w => w.OfferId == offer.OfferId, what: "OfferWithdrawn after the sweep");
        Assert.Contains("No position from you", withdrawn.Reason, StringComparison.Ordinal);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where id = $1 and status = 4", offer.OfferId));
        // The sweep released the order before it returned: back to dispatching, as after a decline.
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from order_events where order_id = $1 and status = 2 and note like '%withdrawn: courier went silent'", order.Id));
    }

    /// <summary>What a refused accept must leave as it was: status, version, courier, events, offers.</summary>
    private async Task<(long Status, long Version, long Couriers, long Events, long Offers)> RowAsync(Guid orderId) => (
        await server.ScalarAsync("select status from orders where id = $1", orderId),
        await server.ScalarAsync("select version from orders where id = $1", orderId),
        await server.ScalarAsync("select count(courier_id) from orders where id = $1", orderId),
        await server.ScalarAsync("select count(*) from order_events where order_id = $1", orderId),
        await server.ScalarAsync("select count(*) from offers where order_id = $1 and status = 0", orderId));
}
