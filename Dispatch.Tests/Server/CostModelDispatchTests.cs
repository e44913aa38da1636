using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Tests.Server;

/// <summary>The trip-based rules of the cost model on the real server: hot food and frozen goods, goods not ready yet.</summary>
public sealed class CostModelDispatchTests(DispatchServer server) : IClassFixture<DispatchServer>, IAsyncDisposable
{
    /// <summary>
    /// The class shares one server, and a courier holds one pending offer at a time: an order a test leaves waiting (a
    /// fairness order never answered, a frozen order whose test timed out) would be offered to the next test's courier
    /// before that test's own. Every test's orders are cancelled after it, passed or failed.
    /// </summary>
    public async ValueTask DisposeAsync() => await LeftBehind.CancelOpenOrdersAsync(server);

    private static object Order(string kind, DateTimeOffset? readyAt = null) => new
    {
        kind,
        pickup = new { lat = DispatchServer.CasinoLat, lon = DispatchServer.CasinoLon, address = "Place du Casino" },
        dropoff = new { lat = DispatchServer.FontvieilleLat, lon = DispatchServer.FontvieilleLon, address = "Quai Jean-Charles Rey" },
        customerName = "Claire Martin",
        customerPhone = "+377 6 12 34 55 70",
        items = new[] { "Pad thai" },
        promisedAt = DateTimeOffset.UtcNow.AddMinutes(50),
        readyAt,
    };

    /// <summary>A courier with a cold box next to the casino who has accepted a frozen order from there.</summary>
    private async Task<TestCourier> ColdCourierCarryingFrozenAsync(string handle)
    {
        var cold = await server.OnlineCourierAtAsync(handle, DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0002, Equipment.InsulatedBox, capacity: 3);
        var frozen = await server.CreateOrderAsync(Order("frozen"));
        await server.PayAsync(frozen.Id);
        await cold.AcceptAsync((await cold.Offers.NextAsync(o => o.OrderId == frozen.Id, what: "the frozen order's offer")).OfferId);
        return cold;
    }

    [Fact]
    public async Task Hot_food_goes_past_a_nearer_courier_who_carries_frozen_goods_and_the_explanation_says_why()
    {
        server.RequireServices();
        await using var cold = await ColdCourierCarryingFrozenAsync("cold");

        await using var other = await server.OnlineCourierAtAsync("warm", DispatchServer.CasinoLat + 0.004, DispatchServer.CasinoLon, Equipment.None, capacity: 3);
        var hot = await server.CreateOrderAsync(Order("hotFood"));
        Assert.Equal(Dispatch.Core.Orders.OrderKind.HotFood, hot.Kind);
        await server.PayAsync(hot.Id);
        var offer = await other.Offers.NextAsync(o => o.OrderId == hot.Id, what: "the hot meal offered to the farther courier");
        Assert.Equal(Dispatch.Core.Orders.OrderKind.HotFood, offer.Kind);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from offers where order_id = $1 and courier_id = $2", hot.Id, cold.Id));

        var rounds = await (await server.CallAsync(HttpMethod.Get, $"/api/orders/{hot.Id}/dispatch", "dispatcher")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var excluded = rounds[0].GetProperty("excluded").EnumerateArray().Single(x => x.GetProperty("courierId").GetGuid() == cold.Id);
        Assert.Equal("carries frozen goods; hot food never rides with frozen goods", excluded.GetProperty("reason").GetString());
        var chosen = rounds[0].GetProperty("candidates").EnumerateArray().Single(x => x.GetProperty("chosen").GetBoolean());
        Assert.True(chosen.TryGetProperty("dropoffAt", out var dropoffAt) && dropoffAt.ValueKind == JsonValueKind.String, "the candidate carries its planned drop-off time");
    }

    [Fact]
    public async Task The_search_widens_past_couriers_the_trip_rules_refuse()
    {
        server.RequireServices();
        // The only courier near the pickup carries frozen goods; the other is about 2.2 km away, beyond the first 1,500 m ring.
        await using var cold = await ColdCourierCarryingFrozenAsync("ring-cold");
        await using var far = await server.OnlineCourierAtAsync("ring-far", 43.7250, 7.4100, Equipment.None, capacity: 3);

        var hot = await server.CreateOrderAsync(Order("hotFood"));
        await server.PayAsync(hot.Id);
        var offer = await far.Offers.NextAsync(o => o.OrderId == hot.Id, what: "the hot meal offered beyond the first ring");
        Assert.True(offer.DistanceToPickupMetres > 1_500, $"offered at {offer.DistanceToPickupMetres:0} m");
        Assert.Equal(3_000, Assert.Single(await server.StoredExplanationsAsync(hot.Id)).RadiusMetres);
    }

    [Fact]
    public async Task Goods_not_ready_are_offered_only_when_the_courier_must_leave()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("ready", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0001, capacity: 3);
        // Ready in 4 min 8 s, the courier is seconds away, and couriers are sent at most 4 min before they must leave:
        // held at payment, offered by the retry loop a few seconds later.
        var readyAt = DateTimeOffset.UtcNow.AddMinutes(4).AddSeconds(8);
        var order = await server.CreateOrderAsync(Order("hotFood", readyAt));
        Assert.True(Math.Abs((readyAt - order.ReadyAt!.Value).TotalMilliseconds) < 1, $"readyAt stored as {order.ReadyAt:O}, sent {readyAt:O}");
        await server.PayAsync(order.Id);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from offers where order_id = $1", order.Id));
        Assert.Equal(2, await server.ScalarAsync("select status from orders where id = $1", order.Id)); // Dispatching, waiting

        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "the offer once the courier must leave");
        var offeredAt = offer.ExpiresAt.AddSeconds(-20);
        Assert.True(offeredAt >= readyAt.AddMinutes(-4).AddSeconds(-10), $"offered at {offeredAt:O}, well before the courier had to leave for goods ready at {readyAt:O}");
    }

    [Fact]
    public async Task Bad_readiness_and_shift_ends_are_refused_with_the_field_named()
    {
        server.RequireServices();
        var response = await server.PostOrderAsync(Order("errand", DateTimeOffset.UtcNow.AddHours(13)), Guid.NewGuid().ToString(), await server.MerchantTokenAsync());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("readyAt", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var member = (await server.FleetAsync("shift", 1))[0];
        await using var courier = await server.ConnectCourierAsync(member);
        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => courier.Connection.InvokeAsync<Dispatch.Core.Contracts.CourierSession>(
            nameof(Dispatch.Core.Contracts.ICourierHub.GoOnline), new Dispatch.Core.Contracts.GoOnlineRequest(Equipment.None, Vehicle.Bicycle, 2, DateTimeOffset.UtcNow.AddMinutes(-5))));
        Assert.Contains("shiftEndsAt", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_courier_who_earned_less_this_shift_is_preferred_and_the_explanation_shows_the_fairness_terms()
    {
        server.RequireServices();
        // Two couriers the same few metres from the pickup; one delivered an order this shift with a €30 fee.
        await using var earner = await server.OnlineCourierAtAsync("fair-earner", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0003);
        await using var other = await server.OnlineCourierAtAsync("fair-other", DispatchServer.CasinoLat, DispatchServer.CasinoLon - 0.0003);
        var earlier = await server.CreateOrderAsync(Order("errand"));
        await server.ScalarAsync("update orders set courier_id = $1, status = $2, delivered_at = now(), courier_fee_cents = 3000 where id = $3",
            earner.Id, (int)Dispatch.Core.Orders.OrderStatus.Delivered, earlier.Id);

        var order = await server.CreateOrderAsync(Order("errand"));
        await server.PayAsync(order.Id);
        await other.Offers.NextAsync(o => o.OrderId == order.Id, what: "the order offered to the courier who earned less");

        var rounds = await (await server.CallAsync(HttpMethod.Get, $"/api/orders/{order.Id}/dispatch", "dispatcher")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var candidates = rounds[0].GetProperty("candidates").EnumerateArray().ToList();
        JsonElement Candidate(Guid courier) => candidates.Single(c => c.GetProperty("courierId").GetGuid() == courier);
        // €60 per online hour (€30 over the 30-minute floor) against €0: each 30 €/h from the mean, capped at 120 s. The
        // offered courier's terms are kept in full; the runner-up's say what lost them the order, and by how much.
        Assert.Equal(-120, Candidate(other.Id).GetProperty("fairnessSeconds").GetDouble(), 0.1);
        var earnerRow = Candidate(earner.Id);
        Assert.Equal("fairness", earnerRow.GetProperty("lostOn").GetString());
        Assert.Equal(240, earnerRow.GetProperty("lostBySeconds").GetDouble(), 1.0);
    }
}
