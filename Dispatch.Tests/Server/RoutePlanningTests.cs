using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>
/// On accept, the courier's route is planned on the road network, stored as a versioned LineString and pushed to the courier
/// and (without the courier's way to the pickup) to the customer.
/// </summary>
public sealed class RoutePlanningTests(RoadNetworkServer server) : IClassFixture<RoadNetworkServer>
{
    /// <summary>A courier near the casino accepts a new order (<paramref name="body"/>, or the default errand); the route the courier is pushed.</summary>
    private async Task<(TestCourier Courier, OrderView Order, RouteMessage Route, RouteMessage Customers)> AcceptedWithRouteAsync(string handle, object? body = null)
    {
        var courier = await server.OnlineCourierAtAsync(handle, 43.7375, 7.4240);
        var order = await server.CreateOrderAsync(body);
        await using var tracking = await server.ConnectTrackingAsync();
        var routes = new Inbox<RouteMessage>();
        tracking.On<RouteMessage>(nameof(ITrackingClient.RouteUpdated), routes.Handler);
        await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);

        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        var customers = await routes.NextAsync(what: "route push to the customer");
        return (courier, order, await courier.Routes.NextAsync(r => r.OrderId == order.Id, what: "route push to the courier"), customers);
    }

    [Fact]
    public async Task Accepting_stores_route_version_one_and_the_customer_receives_it()
    {
        server.RequireNetwork();
        var (courier, order, route, customers) = await AcceptedWithRouteAsync("rt");
        await using var _ = courier;

        Assert.Equal(1, route.Version);
        Assert.Equal(["pickup", "dropoff"], route.Legs.Select(l => l.To));
        Assert.All(route.Legs, l => Assert.True(l.DistanceMetres > 0 && l.DurationSeconds > 0));
        Assert.True(route.Legs[1].EtaAt > route.Legs[0].EtaAt);
        var first = new LatLon(route.Path[0][0], route.Path[0][1]);
        var last = new LatLon(route.Path[^1][0], route.Path[^1][1]);
        Assert.True(GeoMath.DistanceMetres(first, new LatLon(43.7375, 7.4240)) < 250, "starts at the courier");
        // The customer's copy leaves out the courier's way to the pickup: it starts there.
        Assert.Equal(["dropoff"], customers.Legs.Select(l => l.To));
        Assert.True(GeoMath.DistanceMetres(new LatLon(customers.Path[0][0], customers.Path[0][1]), new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon)) < 250,
            "the customer's route starts at the pickup");
        Assert.Equal(route.Path[^1], customers.Path[^1]);
        Assert.True(GeoMath.DistanceMetres(last, new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon)) < 250, "ends at the drop-off");
        var crowFlies = GeoMath.DistanceMetres(new LatLon(43.7375, 7.4240), new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon))
            + GeoMath.DistanceMetres(new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon), new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon));
        Assert.InRange(route.Legs.Sum(l => l.DistanceMetres), crowFlies * 0.9, crowFlies * 4);

        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from routes where order_id = $1 and version = 1 and st_isvalid(path::geometry) and st_srid(path::geometry) = 4326 and jsonb_array_length(legs) = 2",
            order.Id));
        // Both pushes came from the route's outbox row, committed with the route: a crash after the commit, or Redis away
        // (which made the push throw into the accept), can no longer lose them.
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from outbox where order_id = $1 and kind = 'route.planned' and (payload->>'version')::int = 1 and payload->>'courierId' = $2",
            order.Id, courier.Id.ToString()));

        // A customer who opens the link later gets the same route in the snapshot.
        await using var late = await server.ConnectTrackingAsync();
        var snapshot = await late.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        Assert.NotNull(snapshot.Route);
        Assert.Equal(route.Version, snapshot.Route.Version);
        Assert.Equal(customers.Path.Length, snapshot.Route.Path.Length);
    }

    [Fact]
    public async Task A_multi_stop_errand_is_routed_through_its_stops_with_a_leg_and_an_eta_each()
    {
        server.RequireNetwork();
        var (courier, order, route, customers) = await AcceptedWithRouteAsync("rt-stops", MultiStopErrandTests.Body(MultiStopErrandTests.TwoStops()));
        await using var _ = courier;

        Assert.Equal(["pickup", "stop 1", "stop 2", "dropoff"], route.Legs.Select(l => l.To));
        Assert.Equal(["stop 1", "stop 2", "dropoff"], customers.Legs.Select(l => l.To));
        Assert.All(route.Legs, l => Assert.True(l.DistanceMetres > 0 && l.DurationSeconds > 0));
        Assert.Equal(route.Legs.Select(l => l.EtaAt).Order(), route.Legs.Select(l => l.EtaAt));
        foreach (var (lat, lon) in new[] { (order.Stops![0].Lat, order.Stops[0].Lon), (order.Stops[1].Lat, order.Stops[1].Lon) })
        {
            var nearest = route.Path.Min(p => GeoMath.DistanceMetres(new LatLon(p[0], p[1]), new LatLon(lat, lon)));
            Assert.True(nearest < 250, $"the path passes the stop at {lat},{lon} ({nearest:0} m)");
        }
        Assert.Equal(1, await server.ScalarAsync("select count(*) from routes where order_id = $1 and jsonb_array_length(legs) = 4", order.Id));
    }

    [Fact]
    public async Task Eta_falls_along_the_route_and_leaving_it_plans_a_new_version()
    {
        server.RequireNetwork();
        await using var courier = await server.OnlineCourierAtAsync("rt-live", 43.7375, 7.4240);
        var order = await server.CreateOrderAsync();
        await using var tracking = await server.ConnectTrackingAsync();
        var routes = new Inbox<RouteMessage>();
        var moves = new Inbox<CourierPosition>();
        tracking.On<RouteMessage>(nameof(ITrackingClient.RouteUpdated), routes.Handler);
        tracking.On<CourierPosition>(nameof(ITrackingClient.CourierMoved), moves.Handler);
        await tracking.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        await routes.NextAsync(what: "route v1 to the customer");
        var first = await courier.Routes.NextAsync(r => r.OrderId == order.Id, what: "route v1 to the courier");

        // Ride along the planned path: 100, 250 and 400 m in. Each push's ETA is lower than the one before.
        var path = first.Path.Select(p => new LatLon(p[0], p[1])).ToList();
        var etas = new List<int>();
        foreach (var metres in new[] { 100.0, 250.0, 400.0 })
        {
            var at = PointAlong(path, metres);
            Assert.Equal(1, (await courier.MoveToAsync(at.Lat, at.Lon)).Accepted);
            var sent = courier.LastFixTime; // other pushes (after accept, for instance) carry older fix times
            etas.Add((await moves.NextAsync(m => m.OrderId == order.Id && m.At >= sent, what: $"position {metres} m along")).EtaSeconds);
        }
        Assert.True(etas[0] > etas[1] && etas[1] > etas[2], $"ETAs {string.Join(", ", etas)} should fall");

        // Now ride somewhere the route does not go: a new route version is planned from there.
        var astray = new[] { new LatLon(43.7312, 7.4124), new LatLon(43.7440, 7.4290), new LatLon(43.7465, 7.4340) }
            .First(c => path.Min(p => GeoMath.DistanceMetres(p, c)) > 200);
        var moved = await courier.MoveToAsync(astray.Lat, astray.Lon);
        Assert.True(moved.Accepted == 1, string.Join("; ", moved.Rejected.Select(r => r.Reason)));
        await routes.NextAsync(r => r.Version == 2, what: "route v2 to the customer after leaving the route");
        var second = await courier.Routes.NextAsync(r => r.Version == 2, what: "route v2 to the courier");
        Assert.True(GeoMath.DistanceMetres(new LatLon(second.Path[0][0], second.Path[0][1]), astray) < 250);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from routes where order_id = $1 and version = 2 and reason = 'deviation'", order.Id));
    }

    private static LatLon PointAlong(List<LatLon> path, double metres)
    {
        var walked = 0.0;
        for (var i = 1; i < path.Count; i++)
        {
            var step = GeoMath.DistanceMetres(path[i - 1], path[i]);
            if (walked + step >= metres) return GeoMath.Interpolate(path[i - 1], path[i], (metres - walked) / step);
            walked += step;
        }
        return path[^1];
    }
}
