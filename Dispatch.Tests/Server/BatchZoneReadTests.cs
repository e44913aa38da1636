using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A busy batch round (at least <see cref="BatchRound.BulkSearchFromOrders"/> waiting orders) reads the zone's
/// couriers once and what every courier holds without naming them; the trip rules still see the orders on board.
/// </summary>
public sealed class BatchZoneReadTests(BatchServer server) : IClassFixture<BatchServer>
{
    [Fact]
    public async Task A_busy_round_sees_the_frozen_order_a_courier_holds_and_keeps_hot_food_away_from_it()
    {
        server.RequireServices();
        var rounds = server.Services.GetRequiredService<BatchRound>();
        await using var cold = await server.CourierHoldingFrozenAtCasinoAsync("bulk-cold");
        await using var far = await server.OnlineCourierAtAsync("bulk-far", 43.7250, 7.4100, Dispatch.Core.Couriers.Equipment.None, capacity: 3);

        var hot = new List<Guid>();
        for (var i = 0; i < BatchRound.BulkSearchFromOrders; i++)
        {
            var order = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood"));
            await server.PayAsync(order.Id);
            hot.Add(order.Id);
        }
        try
        {
            // The cold courier has room for two more, but not for hot food: only the far courier gets an offer, of three of the
            // sixteen (one pickup, orders outnumber couriers: a bundle of Dispatch:MaxBundle).
            Assert.Equal(3, await rounds.RunAsync("monaco", CancellationToken.None));
            var offer = await far.Offers.NextAsync(o => hot.Contains(o.OrderId), what: "hot meals offered to the far courier");
            Assert.Equal(3, offer.Bundle!.Length);
            Assert.Empty(cold.Offers.Drain());

            var explained = await (await server.CallAsync(HttpMethod.Get, $"/api/orders/{offer.OrderId}/dispatch", "dispatcher")).Content.ReadFromJsonAsync<JsonElement>();
            var round = Assert.Single(explained.EnumerateArray());
            Assert.StartsWith($"batch: one matching of {hot.Count} waiting order(s)", round.GetProperty("rule").GetString()!, StringComparison.Ordinal);
            Assert.Contains(round.GetProperty("excluded").EnumerateArray(),
                x => x.GetProperty("courierId").GetGuid() == cold.Id && x.GetProperty("reason").GetString() == "carries frozen goods; hot food never rides with frozen goods");
        }
        finally
        {
            foreach (var id in hot) await server.CallAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", "dispatcher", new { reason = "test over" });
        }
    }

    [Fact]
    public async Task After_a_busy_round_the_node_collects_gen0_between_rounds_and_not_for_a_zone_without_one()
    {
        server.RequireServices();
        var rounds = server.Services.GetRequiredService<BatchRound>();
        var waiting = new List<Guid>();
        for (var i = 0; i < BatchRound.BulkSearchFromOrders; i++)
        {
            var order = await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "hotFood"));
            await server.PayAsync(order.Id);
            waiting.Add(order.Id);
        }
        try
        {
            await rounds.RunAsync("monaco", CancellationToken.None);
            // Dispatch:CollectBetweenBatchRounds (on): the dispatch loop's last tick before the zone's next round collects gen 0.
            var before = GC.CollectionCount(0);
            Assert.True(rounds.CollectBetweenRounds("monaco") > 0);
            Assert.True(GC.CollectionCount(0) > before);
            // A zone that had no busy round pauses nobody.
            Assert.Equal(0, rounds.CollectBetweenRounds("no-such-zone"));
        }
        finally
        {
            foreach (var id in waiting) await server.CallAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", "dispatcher", new { reason = "test over" });
        }
    }
}
