using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>On accept, the courier's route is planned on the road network, stored as a versioned LineString and pushed to the customer.</summary>
public sealed class RoutePlanningTests(RoadNetworkServer server) : IClassFixture<RoadNetworkServer>
{
    [Fact]
    public async Task Accepting_stores_route_version_one_and_the_customer_receives_it()
    {
        server.RequireNetwork();
        await using var courier = await server.OnlineCourierAtAsync("rt", 43.7375, 7.4240);
        var order = await server.CreateOrderAsync();
        await using var tracking = await server.ConnectTrackingAsync();
        var routes = new Inbox<RouteMessage>();
        tracking.On<RouteMessage>(nameof(ITrackingClient.RouteUpdated), routes.Handler);
        await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);

        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        var route = await routes.NextAsync(what: "route push");

        Assert.Equal(1, route.Version);
        Assert.Equal(["pickup", "dropoff"], route.Legs.Select(l => l.To));
        Assert.All(route.Legs, l => Assert.True(l.DistanceMetres > 0 && l.DurationSeconds > 0));
        Assert.True(route.Legs[1].EtaAt > route.Legs[0].EtaAt);
        var first = new LatLon(route.Path[0][0], route.Path[0][1]);
        var last = new LatLon(route.Path[^1][0], route.Path[^1][1]);
        Assert.True(GeoMath.DistanceMetres(first, new LatLon(43.7375, 7.4240)) < 250, "starts at the courier");
        Assert.True(GeoMath.DistanceMetres(last, new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon)) < 250, "ends at the drop-off");
        var crowFlies = GeoMath.DistanceMetres(new LatLon(43.7375, 7.4240), new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon))
            + GeoMath.DistanceMetres(new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon), new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon));
        Assert.InRange(route.Legs.Sum(l => l.DistanceMetres), crowFlies * 0.9, crowFlies * 4);

        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from routes where order_id = $1 and version = 1 and st_isvalid(path::geometry) and st_srid(path::geometry) = 4326 and jsonb_array_length(legs) = 2",
            order.Id));

        // A customer who opens the link later gets the same route in the snapshot.
        await using var late = await server.ConnectTrackingAsync();
        var snapshot = await late.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        Assert.NotNull(snapshot.Route);
        Assert.Equal(route.Path.Length, snapshot.Route.Path.Length);
    }
}
