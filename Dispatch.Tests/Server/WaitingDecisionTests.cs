using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A batch round that offers an order nobody stores why (DecisionLog, behind the round): the board's explanation shows
/// the courier the order waits for, and a wait that does not change is stored once, not once per round.
/// </summary>
public sealed class WaitingDecisionTests(BatchServer server) : IClassFixture<BatchServer>
{
    // Away from the casino, where other batch tests put their couriers (each class has its own database and prefix anyway).
    private const double Lat = 43.7310, Lon = 7.4180;

    [Fact]
    public async Task An_order_waiting_for_a_courier_who_frees_up_says_so_in_its_explanation()
    {
        server.RequireServices();
        var round = server.Services.GetRequiredService<BatchRound>();
        var ct = TestContext.Current.CancellationToken;
        // The only courier, room for one, carries an order whose drop-off is 400 m north: the next order's pickup.
        await using var courier = await server.OnlineCourierAtAsync("frees-up", Lat, Lon, capacity: 1);
        var carried = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat, pickupLon: Lon, dropoffLat: Lat + 0.0036, dropoffLon: Lon));
        Guid? waitingId = null;
        var pickedUp = false;  // a picked-up order cannot be cancelled; it stays on the courier, in this class's own database
        try
        {
            await server.PayAsync(carried.Id);
            Assert.Equal(1, await round.RunAsync("monaco", ct));
            await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == carried.Id, what: "the carried order's offer")).OfferId);
            await courier.ArrivedAsync(carried.Id);
            await courier.PickedUpAsync(carried.Id);
            pickedUp = true;

            var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat + 0.0036, pickupLon: Lon));
            waitingId = order.Id;
            await server.PayAsync(order.Id);
            Assert.Equal(0, await round.RunAsync("monaco", ct));

            // Read at once: the endpoint waits for the decision the round queued.
            var rounds = await ExplanationAsync(order.Id);
            var waiting = Assert.Single(rounds);
            var rule = waiting.GetProperty("rule").GetString()!;
            Assert.Contains("waiting for a courier who frees up at", rule, StringComparison.Ordinal);
            Assert.Contains($"(courier {courier.Id:N}", rule, StringComparison.Ordinal);
            var candidate = Assert.Single(waiting.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("courierId").GetGuid() == courier.Id);
            Assert.False(candidate.GetProperty("chosen").GetBoolean());
            Assert.Equal(JsonValueKind.String, candidate.GetProperty("freeAt").ValueKind);

            // The next round waits for the same courier: nothing new is stored.
            Assert.Equal(0, await round.RunAsync("monaco", ct));
            Assert.Single(await ExplanationAsync(order.Id));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from dispatch_decisions where order_id = $1", order.Id));
        }
        finally
        {
            if (waitingId is { } id) await CancelAsync(id);
            if (!pickedUp) await CancelAsync(carried.Id);
        }
    }

    [Fact]
    public void A_wait_is_the_same_reason_while_only_its_numbers_drift_and_another_when_the_awaited_courier_changes()
    {
        const string header = "batch: one matching of {0} waiting order(s) to {1} eligible courier(s), minimum total … at most one trip per courier per round";
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        string Rule(int orders, Guid courier, string at, int minutes) => string.Format(System.Globalization.CultureInfo.InvariantCulture, header, orders, 40) +
            $"; waiting for a courier who frees up at {at} UTC 400 m from the pickup (courier {courier:N}, at the pickup in about {minutes} min), better than anyone free now";

        Assert.Equal(DecisionLog.ReasonOf(Rule(12, a, "12:41", 6)), DecisionLog.ReasonOf(Rule(15, a, "12:42", 5)));
        Assert.NotEqual(DecisionLog.ReasonOf(Rule(12, a, "12:41", 6)), DecisionLog.ReasonOf(Rule(12, b, "12:41", 6)));
        Assert.NotEqual(DecisionLog.ReasonOf(Rule(12, a, "12:41", 6)),
            DecisionLog.ReasonOf(string.Format(System.Globalization.CultureInfo.InvariantCulture, header, 12, 40) + "; no eligible courier within 3000 m, waits for the next round"));
    }

    private async Task<List<JsonElement>> ExplanationAsync(Guid orderId)
    {
        var response = await server.CallAsync(HttpMethod.Get, $"/api/orders/{orderId}/dispatch", "dispatcher");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).EnumerateArray()];
    }

    /// <summary>An order left waiting or offered would be offered, or hold a courier, in the class's next test.</summary>
    private async Task CancelAsync(Guid orderId) =>
        Assert.True((await server.CallAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", "dispatcher", new { reason = "test over" })).IsSuccessStatusCode);
}
