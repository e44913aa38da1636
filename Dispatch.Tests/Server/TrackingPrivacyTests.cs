using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Tracking;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>
/// A tracking link shows only what a customer may see: through an offer, a decline with a reason, a dispatch note, an
/// accept and a dispatcher's reassignment with a reason, neither the snapshot nor any push (read as the JSON the page gets) names a courier's id, a note or a reason, or
/// places the courier more precisely than the coarse grid before pickup; the route the customer gets starts at the pickup.
/// </summary>
public sealed class TrackingPrivacyTests(GridNetworkServer server) : IClassFixture<GridNetworkServer>
{
    private const string DeclineReason = "flat tyre behind the bakery";
    private const string DispatcherReason = "first courier is too slow today";
    private static readonly LatLon Pickup = new(DispatchServer.CasinoLat, DispatchServer.CasinoLon);
    private static readonly LatLon Dropoff = new(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);

    [Fact]
    public async Task Offers_declines_notes_and_the_couriers_way_to_the_pickup_never_reach_the_tracking_link()
    {
        server.RequireNetwork();
        await using var near = await server.OnlineCourierAtAsync("priv-near", 43.7397, 7.4277);
        await using var far = await server.OnlineCourierAtAsync("priv-far", 43.7420, 7.4300);
        var order = await server.CreateOrderAsync(merchant: "merchant-1");

        var connection = new HubConnectionBuilder().WithUrl(new Uri(server.BaseUrl, HubPaths.Tracking)).Build(); // JSON, as the page
        await using var _ = connection;
        var log = new ConcurrentQueue<(string Method, JsonElement Payload)>();
        var pushes = new Inbox<(string Method, JsonElement Payload)>();
        foreach (var method in new[] { "CourierMoved", "StatusChanged", "RouteUpdated", "Arriving", "ReceiptChanged", "StopCompleted" })
        {
            connection.On<JsonElement>(method, payload =>
            {
                log.Enqueue((method, payload));
                return pushes.Handler((method, payload));
            });
        }
        await connection.StartAsync();
        await connection.InvokeAsync<JsonElement>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);

        await server.PayAsync(order.Id);
        var first = await near.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer to the nearest courier");
        await near.DeclineAsync(first.OfferId, DeclineReason);
        var second = await far.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer to the next courier");
        await far.AcceptAsync(second.OfferId);
        var full = await far.Routes.NextAsync(r => r.OrderId == order.Id, what: "the courier's own route");
        Assert.True(GeoMath.DistanceMetres(new LatLon(full.Path[0][0], full.Path[0][1]), Pickup) > 200, "the courier's route starts where they are");
        await pushes.NextAsync(p => p.Method == "RouteUpdated", what: "the customer's route");
        await far.MoveToAsync(43.7412, 7.4291);
        var sent = far.LastFixTime;
        await pushes.NextAsync(p => p.Method == "CourierMoved" && p.Payload.GetProperty("at").GetDateTimeOffset() >= sent, what: "the coarse position");
        // A dispatcher gives the order to the courier who declined it, saying why; their route is planned from the pickup.
        var assigned = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/assign", "dispatcher", new { courierId = near.Id, reason = DispatcherReason });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var theirs = await near.Routes.NextAsync(r => r.OrderId == order.Id, what: "the new courier's own route");
        await pushes.NextAsync(p => p.Method == "RouteUpdated" && p.Payload.GetProperty("version").GetInt32() == theirs.Version, what: "the new courier's route");
        var before = await connection.InvokeAsync<JsonElement>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        Assert.Equal(CustomerView.FirstName(near.Name), before.GetProperty("courierName").GetString());

        // Before pickup: the snapshot and every push so far.
        var couriers = new[] { near.Id, far.Id };
        AssertPrivate(before, couriers, beforePickup: true);
        Assert.Equal(["placed", "paid", "findingCourier", "courierAssigned"], before.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("step").GetString()));
        Assert.True(before.GetProperty("courier").GetProperty("coarse").GetBoolean());
        Assert.Equal(JsonValueKind.Object, before.GetProperty("route").ValueKind);
        foreach (var (method, payload) in log) AssertPrivate(payload, couriers, beforePickup: true, method);
        Assert.Contains(log, p => p.Method == "RouteUpdated");
        log.Clear();

        // After pickup the live position is exact, but still nobody's id, note or reason.
        await near.ArrivedAsync(order.Id);
        await near.PickedUpAsync(order.Id);
        await near.MoveToAsync(43.7390, 7.4268);
        sent = near.LastFixTime;
        var exact = await pushes.NextAsync(p => p.Method == "CourierMoved" && p.Payload.GetProperty("at").GetDateTimeOffset() >= sent, what: "the exact position");
        Assert.False(exact.Payload.GetProperty("coarse").GetBoolean());
        await near.DeliverAtDropoffAsync(order);
        await pushes.NextAsync(p => p.Method == "StatusChanged" && p.Payload.GetProperty("status").GetString() == "delivered", what: "delivered");
        var after = await connection.InvokeAsync<JsonElement>(nameof(ITrackingHub.Subscribe), order.TrackingToken!);
        AssertPrivate(after, couriers, beforePickup: false);
        foreach (var (method, payload) in log) AssertPrivate(payload, couriers, beforePickup: false, method);

        // The merchant's API view (passed on to the end customer) follows the same rule; a dispatcher still sees everything.
        var merchant = await server.CallAsync(HttpMethod.Get, $"/api/orders/{order.Id}", "merchant");
        Assert.Equal(HttpStatusCode.OK, merchant.StatusCode);
        var view = await merchant.Content.ReadFromJsonAsync<JsonElement>();
        AssertPrivate(view, couriers, beforePickup: false);
        Assert.Contains("Courier on the way to the shop", view.GetRawText(), StringComparison.Ordinal);
        var staff = await server.GetOrderAsync(order.Id);
        Assert.Contains(staff.Timeline, t => t.Note?.Contains(DeclineReason, StringComparison.Ordinal) == true);
        Assert.Contains(staff.Timeline, t => t.Note?.Contains(DispatcherReason, StringComparison.Ordinal) == true);
        Assert.Equal(near.Id, staff.CourierId);
    }

    /// <summary>
    /// No courier id, note, reason or actor anywhere in <paramref name="json"/>; before pickup, every position is the pickup,
    /// the drop-off or a point of the coarse grid, and every route starts at the pickup without a leg to it.
    /// </summary>
    private static void AssertPrivate(JsonElement json, Guid[] couriers, bool beforePickup, string what = "snapshot")
    {
        var text = json.GetRawText();
        foreach (var id in couriers)
        {
            Assert.DoesNotContain(id.ToString("N"), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(id.ToString(), text, StringComparison.OrdinalIgnoreCase);
        }
        foreach (var secret in new[] { DeclineReason, DispatcherReason, "declined", "to pickup", "dispatcher", "actor", "courier:", "note" })
        {
            Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{what} contains \"{secret}\": {text}");
        }
        if (!beforePickup) return;
        Walk(json);

        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray()) Walk(item);
                return;
            }
            if (e.ValueKind != JsonValueKind.Object) return;
            if (e.TryGetProperty("lat", out var lat) && lat.ValueKind == JsonValueKind.Number && e.TryGetProperty("lon", out var lon))
            {
                var p = new LatLon(lat.GetDouble(), lon.GetDouble());
                var onGrid = GeoMath.DistanceMetres(GeoMath.Coarsen(p, CustomerView.CoarseGridMetres), p) < 0.01;
                Assert.True(onGrid || GeoMath.DistanceMetres(p, Pickup) < 1 || GeoMath.DistanceMetres(p, Dropoff) < 1, $"{what} places someone at {p}: {e}");
            }
            if (e.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.Array)
            {
                var start = new LatLon(path[0][0].GetDouble(), path[0][1].GetDouble());
                Assert.True(GeoMath.DistanceMetres(start, Pickup) < 120, $"{what}: the customer's route starts at {start}, not at the pickup");
                Assert.DoesNotContain(e.GetProperty("legs").EnumerateArray(), l => l.GetProperty("to").GetString() == CustomerView.PickupLeg);
            }
            foreach (var property in e.EnumerateObject()) Walk(property.Value);
        }
    }
}
