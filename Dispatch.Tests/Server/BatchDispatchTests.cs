using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>The batch strategy on the real services: a burst of orders is matched in one round, not first come first served.</summary>
public sealed class BatchDispatchTests(BatchServer server) : IClassFixture<BatchServer>, IAsyncDisposable
{
    /// <summary>A paid order left waiting would ride in the next test's round (bundles of one pickup): cancelled after each test.</summary>
    public async ValueTask DisposeAsync() => await LeftBehind.CancelOpenOrdersAsync(server);

    private const double Lon = 7.4200;

    private static double North(double metres) => 43.7330 + metres / 111_320.0;

    [Fact]
    public async Task A_burst_is_matched_as_one_round_at_the_least_total_cost()
    {
        server.RequireServices();
        // Pickups 1 km apart on one meridian; courier A 400 m from pickup 1 and 600 m from pickup 2, B 600 m and 1,600 m.
        // First come first served gives order 1 to A and leaves B to ride 1.6 km; one matching sends B to 1 and A to 2.
        await using var a = await server.OnlineCourierAtAsync("batch-a", North(400), Lon);
        await using var b = await server.OnlineCourierAtAsync("batch-b", North(-600), Lon);
        var first = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: North(0), pickupLon: Lon, dropoffLat: North(300), dropoffLon: 7.4250));
        var second = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: North(1_000), pickupLon: Lon, dropoffLat: North(1_300), dropoffLon: 7.4250));
        await server.PayAsync(first.Id);
        await server.PayAsync(second.Id);
        Assert.Equal(Dispatch.Core.Orders.OrderStatus.Paid, (await server.GetOrderAsync(first.Id)).Status); // waits for the round

        var offers = await server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", CancellationToken.None);

        Assert.Equal(2, offers);
        await b.Offers.NextAsync(o => o.OrderId == first.Id, what: "order 1 offered to B");
        await a.Offers.NextAsync(o => o.OrderId == second.Id, what: "order 2 offered to A");
        Assert.DoesNotContain(a.Offers.Drain(), o => o.OrderId == first.Id);

        var response = await server.CallAsync(HttpMethod.Get, $"/api/orders/{first.Id}/dispatch", "dispatcher");
        var round = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        var rule = round.GetProperty("rule").GetString()!;
        Assert.StartsWith("batch: one matching of 2 waiting order(s)", rule, StringComparison.Ordinal);
        Assert.Contains($"went to order {second.Id:N}", rule, StringComparison.Ordinal);
        Assert.Equal(2, round.GetProperty("candidates").GetArrayLength());

        // A round with nothing waiting offers nothing, and B (holding an offer) is not offered another order meanwhile.
        Assert.Equal(0, await server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", CancellationToken.None));
    }
}

/// <summary>Admins switch a zone's strategy at run time; the dispatch loop follows at once.</summary>
public sealed class ZoneStrategyTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task An_admin_switches_the_zone_to_batch_and_back_and_nobody_else_may()
    {
        server.RequireServices();
        var configured = await (await server.CallAsync(HttpMethod.Get, "/api/zones/monaco/strategy", "dispatcher")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("sequential", configured.GetProperty("strategy").GetString());
        Assert.Equal("configuration", configured.GetProperty("source").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await server.CallAsync(HttpMethod.Put, "/api/zones/monaco/strategy", "dispatcher", new { strategy = "batch" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.CallAsync(HttpMethod.Put, "/api/zones/monaco/strategy", "courier", new { strategy = "batch" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.CallAsync(HttpMethod.Put, "/api/zones/atlantis/strategy", "admin", new { strategy = "batch" })).StatusCode);
        await AssertRefusedAsync(new { strategy = "lottery" }, "strategy");
        await AssertRefusedAsync(new { strategy = "broadcast", fanout = 1 }, "fanout");
        await AssertRefusedAsync(new { strategy = "batch", batchWindowSeconds = 0 }, "batchWindowSeconds");
        Assert.Equal("configuration", (await (await server.CallAsync(HttpMethod.Get, "/api/zones/monaco/strategy", "dispatcher")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("source").GetString());

        var changed = await server.CallAsync(HttpMethod.Put, "/api/zones/monaco/strategy", "admin", new { strategy = "batch", batchWindowSeconds = 1 });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var now = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("batch", now.GetProperty("strategy").GetString());
        Assert.Equal("admin", now.GetProperty("source").GetString());

        // The loop runs the rounds: an order paid now is offered by the next round, with a batch explanation.
        await using var courier = await server.OnlineCourierAtAsync("strategy", DispatchServer.CasinoLat + 0.001, DispatchServer.CasinoLon);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer from a batch round");
        var rounds = await (await server.CallAsync(HttpMethod.Get, $"/api/orders/{order.Id}/dispatch", "dispatcher")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("batch:", rounds[0].GetProperty("rule").GetString(), StringComparison.Ordinal);

        var reset = await (await server.CallAsync(HttpMethod.Delete, "/api/zones/monaco/strategy", "admin")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("sequential", reset.GetProperty("strategy").GetString());
        Assert.Equal("configuration", reset.GetProperty("source").GetString());
    }

    private async Task AssertRefusedAsync(object body, string field)
    {
        var response = await server.CallAsync(HttpMethod.Put, "/api/zones/monaco/strategy", "admin", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem names '{field}': {problem}");
    }
}

/// <summary>A batch round widens its search, order by order, past couriers whom the trip rules refuse, as sequential dispatch does.</summary>
public sealed class BatchWideningTests(BatchServer server) : IClassFixture<BatchServer>
{
    [Fact]
    public async Task A_round_widens_past_a_near_courier_the_trip_rules_refuse()
    {
        server.RequireServices();
        var rounds = server.Services.GetRequiredService<BatchRound>();
        // The only courier near the casino carries frozen goods; the other is about 2.2 km away, beyond the first 1,500 m ring.
        await using var cold = await server.CourierHoldingFrozenAtCasinoAsync("batch-ring-cold");
        await using var far = await server.OnlineCourierAtAsync("batch-ring-far", 43.7250, 7.4100, Dispatch.Core.Couriers.Equipment.None, capacity: 3);

        var hot = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood"));
        await server.PayAsync(hot.Id);
        Assert.Equal(1, await rounds.RunAsync("monaco", CancellationToken.None));

        var offer = await far.Offers.NextAsync(o => o.OrderId == hot.Id, what: "the hot meal offered beyond the first ring");
        Assert.True(offer.DistanceToPickupMetres > 1_500, $"offered at {offer.DistanceToPickupMetres:0} m");
        var explained = await (await server.CallAsync(HttpMethod.Get, $"/api/orders/{hot.Id}/dispatch", "dispatcher")).Content.ReadFromJsonAsync<JsonElement>();
        var round = Assert.Single(explained.EnumerateArray());
        Assert.Equal(3_000, round.GetProperty("radiusMetres").GetDouble());
        Assert.Contains(round.GetProperty("excluded").EnumerateArray(),
            x => x.GetProperty("courierId").GetGuid() == cold.Id && x.GetProperty("reason").GetString() == "carries frozen goods; hot food never rides with frozen goods");
    }
}
