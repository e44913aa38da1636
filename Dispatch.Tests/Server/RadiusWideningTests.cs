using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>With nobody within the first radius, the search widens until a courier is found.</summary>
public sealed class RadiusWideningTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_courier_beyond_the_first_radius_still_gets_the_offer()
    {
        server.RequireServices();
        // About 2.5 km north of the pickup: outside the first 1.5 km ring, inside the 3 km one.
        await using var distant = await server.OnlineCourierAtAsync("distant", 43.7480, 7.4110);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: 43.7255, pickupLon: 7.4110, dropoffLat: 43.7300, dropoffLon: 7.4150));
        await server.PayAsync(order.Id);
        var offer = await distant.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer after widening");
        Assert.InRange(offer.DistanceToPickupMetres, 1_500, 3_000);
        await CancelAsync(order.Id);
    }

    [Fact]
    public async Task Frozen_goods_skip_a_nearer_courier_without_cold_chain_equipment()
    {
        server.RequireServices();
        await using var plain = await server.OnlineCourierAtAsync("plain", 43.7300, 7.4300, Dispatch.Core.Couriers.Equipment.None);
        await using var cooler = await server.OnlineCourierAtAsync("cooler", 43.7320, 7.4320, Dispatch.Core.Couriers.Equipment.ActiveCooler);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "frozen", pickupLat: 43.7301, pickupLon: 7.4301, dropoffLat: 43.7350, dropoffLon: 7.4250));
        await server.PayAsync(order.Id);
        var offer = await cooler.Offers.NextAsync(o => o.OrderId == order.Id, what: "frozen offer to the courier with a cooler");
        Assert.Equal(order.Id, offer.OrderId);
        Assert.DoesNotContain(plain.Offers.Drain(), o => o.OrderId == order.Id);
        await CancelAsync(order.Id);
    }

    /// <summary>
    /// A test's orders still waiting at its end are cancelled: a courier holds one pending offer at a time, so they would be
    /// offered to the next test's courier first, before that test's own order.
    /// </summary>
    private async Task CancelAsync(params Guid[] orderIds)
    {
        foreach (var id in orderIds)
            Assert.True((await server.CallAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", "dispatcher", new { reason = "test over" })).IsSuccessStatusCode);
    }
}
