using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>"Why this courier, why not that one": every offer round is stored with its candidates, exclusions and rule.</summary>
public sealed class DispatchExplanationTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Each_offer_round_explains_the_choice_and_the_exclusions()
    {
        server.RequireServices();
        // Frozen order: the nearest courier has no cold-chain kit, so the next one gets it; after a decline the third.
        await using var plain = await server.OnlineCourierAtAsync("why-plain", 43.7397, 7.4277, Dispatch.Core.Couriers.Equipment.None);
        await using var box = await server.OnlineCourierAtAsync("why-box", 43.7400, 7.4280, Dispatch.Core.Couriers.Equipment.InsulatedBox);
        await using var cooler = await server.OnlineCourierAtAsync("why-cooler", 43.7410, 7.4290, Dispatch.Core.Couriers.Equipment.ActiveCooler);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "frozen"));
        await server.PayAsync(order.Id);
        var first = await box.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer to the insulated box");
        await box.DeclineAsync(first.OfferId, "box is full");
        await cooler.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer to the cooler after the decline");

        var rounds = await ExplainAsync(order.Id);
        Assert.Equal(2, rounds.GetArrayLength());
        var round1 = rounds[0];
        Assert.StartsWith("sequential", round1.GetProperty("rule").GetString(), StringComparison.Ordinal);
        var chosen = Assert.Single(round1.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("chosen").GetBoolean());
        Assert.Equal(box.Id, chosen.GetProperty("courierId").GetGuid());
        Assert.Equal("Declined", chosen.GetProperty("answer").GetString());
        Assert.Equal("box is full", chosen.GetProperty("reason").GetString());
        Assert.True(chosen.GetProperty("secondsToPickup").GetDouble() > 0);
        var runnerUp = Assert.Single(round1.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("courierId").GetGuid() == cooler.Id);
        Assert.True(runnerUp.GetProperty("cost").GetDouble() >= chosen.GetProperty("cost").GetDouble());
        var ruledOut = Assert.Single(round1.GetProperty("excluded").EnumerateArray(), c => c.GetProperty("courierId").GetGuid() == plain.Id);
        Assert.Contains("insulated box or cooler", ruledOut.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var round2 = rounds[1];
        Assert.Contains(round2.GetProperty("excluded").EnumerateArray(), c => c.GetProperty("courierId").GetGuid() == box.Id && c.GetProperty("reason").GetString()!.StartsWith("declined this order", StringComparison.Ordinal));
        Assert.Equal(cooler.Id, Assert.Single(round2.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("chosen").GetBoolean()).GetProperty("courierId").GetGuid());
    }

    [Fact]
    public async Task Merchants_cannot_read_dispatch_internals()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{order.Id}/dispatch");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.MerchantTokenAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Http.SendAsync(request)).StatusCode);
    }

    private async Task<JsonElement> ExplainAsync(Guid orderId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{orderId}/dispatch");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("dispatcher", "d-1"));
        var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
