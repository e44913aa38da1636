using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// A chaos run offered a walker an order 2 km away (half an hour on foot): the first ring holding anyone ended the search.
/// Now a courier too slow to reach the pickup in time does not count, so the search widens to a scooter further out.
/// </summary>
public sealed class PickupReachDispatchTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_hot_meal_goes_to_a_scooter_4_km_away_not_to_a_walker_2_km_away()
    {
        server.RequireServices();
        // Pickup in the zone's south-west corner; the walker 2 km north (the 3 km ring), the scooter in the far corner (6 km ring).
        await using var walker = await OnlineAsync("walker", 43.7405, 7.4055, Vehicle.Walking);
        await using var scooter = await OnlineAsync("scooter", 43.7515, 7.4395, Vehicle.Scooter);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood", pickupLat: 43.7225, pickupLon: 7.4055, dropoffLat: 43.7300, dropoffLon: 7.4150));
        await server.PayAsync(order.Id);

        var offer = await scooter.Offers.NextAsync(o => o.OrderId == order.Id, what: "the hot meal offered to the scooter");

        Assert.InRange(offer.DistanceToPickupMetres, 3_000, 6_000);
        Assert.DoesNotContain(walker.Offers.Drain(), o => o.OrderId == order.Id);
        Assert.True((await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" })).IsSuccessStatusCode);
    }

    private async Task<TestCourier> OnlineAsync(string prefix, double lat, double lon, Vehicle vehicle)
    {
        var courier = await server.ConnectCourierAsync((await server.FleetAsync(prefix, 1))[0]);
        await courier.GoOnlineAsync(Equipment.InsulatedBox, vehicle);
        Assert.Equal(1, (await courier.MoveToAsync(lat, lon)).Accepted);
        await server.WaitInGeoSetAsync(courier.Id, lat, lon);
        return courier;
    }
}
