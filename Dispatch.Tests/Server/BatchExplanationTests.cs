using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Matching;
using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A batch round stores each offer's explanation in the transaction that makes the offer: when the round returns, the
/// board can read why (before, a write-behind log stored them moments later, and a crash in between lost them).
/// </summary>
public sealed class BatchExplanationTests(BatchServer server) : IClassFixture<BatchServer>, IAsyncDisposable
{
    /// <summary>A paid order left waiting would ride in the next test's round (bundles of one pickup): cancelled after each test.</summary>
    public async ValueTask DisposeAsync() => await LeftBehind.CancelOpenOrdersAsync(server);

    [Fact]
    public async Task A_batch_offer_is_committed_with_its_explanation()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("batch-explained", DispatchServer.CasinoLat + 0.001, DispatchServer.CasinoLon);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);

        Assert.Equal(1, await server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", TestContext.Current.CancellationToken));

        // Read at once, with no wait on anything: the pending offer and its explanation came with one commit.
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from offers o join dispatch_decisions d on d.order_id = o.order_id where o.order_id = $1 and o.status = 0 and d.at = o.created_at",
            order.Id));
        Assert.Equal(courier.Id, Assert.Single(Assert.Single(await server.StoredExplanationsAsync(order.Id)).Offered).CourierId);
        // Stored packed: its format byte, and far fewer bytes than its JSON text (~1.5 kB for a batch round's).
        Assert.Equal(1, await server.ScalarAsync("select count(*) from dispatch_decisions where order_id = $1 and get_byte(explanation, 0) = 2", order.Id));
        await CancelAsync(order.Id);
    }

    [Fact]
    public async Task The_board_reads_the_offered_courier_in_full_and_the_next_five_with_what_lost_them_the_order()
    {
        server.RequireServices();
        // Eight free couriers 90–710 m north of a pickup at Larvotto, away from the other test's casino.
        const double lat = 43.7450, lon = 7.4350;
        var couriers = new List<TestCourier>();
        Guid? orderId = null;
        try
        {
            for (var i = 1; i <= 8; i++) couriers.Add(await server.OnlineCourierAtAsync($"compact-{i}", lat + (i * 0.0008), lon));
            var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: lat, pickupLon: lon));
            orderId = order.Id;
            await server.PayAsync(order.Id);

            Assert.Equal(1, await server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", TestContext.Current.CancellationToken));

            var response = await server.CallAsync(HttpMethod.Get, $"/api/orders/{order.Id}/dispatch", "dispatcher");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var round = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).EnumerateArray());
            Assert.StartsWith("batch: one matching of 1 waiting order(s)", round.GetProperty("rule").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("seconds to pickup on the road network", round.GetProperty("rule").GetString(), StringComparison.Ordinal);
            var candidates = round.GetProperty("candidates").EnumerateArray().ToList();
            Assert.Equal(6, candidates.Count);
            var chosen = candidates[0];
            Assert.True(chosen.GetProperty("chosen").GetBoolean());
            Assert.Equal(couriers[0].Id, chosen.GetProperty("courierId").GetGuid());
            Assert.Equal("Pending", chosen.GetProperty("answer").GetString());
            Assert.Equal(JsonValueKind.Number, chosen.GetProperty("loadPenaltySeconds").ValueKind);
            var seconds = chosen.GetProperty("secondsToPickup").GetDouble();
            Assert.Equal(Math.Round(seconds), seconds);
            // The next five, nearest first: farther from the pickup is what lost each of them the order.
            Assert.Equal(couriers.Skip(1).Take(5).Select(c => c.Id), candidates.Skip(1).Select(c => c.GetProperty("courierId").GetGuid()));
            Assert.All(candidates.Skip(1), c =>
            {
                Assert.False(c.GetProperty("chosen").GetBoolean());
                Assert.Equal("pickup", c.GetProperty("lostOn").GetString());
                Assert.True(c.GetProperty("lostBySeconds").GetDouble() > 0);
                Assert.Equal(JsonValueKind.Null, c.GetProperty("loadPenaltySeconds").ValueKind);
            });
            Assert.Equal(2, round.GetProperty("moreEligible").GetInt32());
        }
        finally
        {
            if (orderId is { } id) await CancelAsync(id);
            foreach (var c in couriers) await c.DisposeAsync();
        }
    }

    /// <summary>
    /// Left offered, a test's order expires after 20 s and waits again, and the other test's round, which counts what it
    /// offered, offers it too (it saw 2 where 1 was expected in a full run).
    /// </summary>
    private async Task CancelAsync(Guid orderId) =>
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/orders/{orderId}/cancel", "dispatcher", new { reason = "test over" })).StatusCode);

    [Fact]
    public async Task An_explanation_stored_whole_before_is_read_compacted()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        RankedCandidate[] eligible = [.. Enumerable.Range(1, 9).Select(i => new RankedCandidate(Guid.NewGuid(), 100.0 * i, 30.4 * i, 0))];
        var legacy = JsonSerializer.Serialize(new DispatchExplanation("sequential: the eligible courier with the lowest cost within 1500 m", 1500, eligible,
            [new Exclusion(Guid.NewGuid(), "offline")], [eligible[0].CourierId]), LegacyJson);
        Assert.Contains("\"Eligible\"", legacy, StringComparison.Ordinal);
        // As the migration to bytea left it: the JSON text's UTF-8 bytes.
        await server.ScalarAsync("insert into dispatch_decisions (order_id, at, explanation) values ($1, now(), convert_to($2, 'UTF8')) returning 1", order.Id, legacy);

        var response = await server.CallAsync(HttpMethod.Get, $"/api/orders/{order.Id}/dispatch", "dispatcher");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var round = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).EnumerateArray());
        var candidates = round.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(eligible.Take(6).Select(c => c.CourierId), candidates.Select(c => c.GetProperty("courierId").GetGuid()));
        Assert.Equal(30, candidates[0].GetProperty("secondsToPickup").GetDouble());
        Assert.Equal("pickup", candidates[1].GetProperty("lostOn").GetString());
        Assert.Equal(3, round.GetProperty("moreEligible").GetInt32());
        Assert.Equal("offline", Assert.Single(round.GetProperty("excluded").EnumerateArray()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_compact_explanation_stored_as_json_text_or_compressed_before_reads_as_the_same_one_stored_packed()
    {
        server.RequireServices();
        var (text, compressed, packed) = (await server.CreateOrderAsync(), await server.CreateOrderAsync(), await server.CreateOrderAsync());
        RankedCandidate[] eligible = [.. Enumerable.Range(1, 9).Select(i => new RankedCandidate(Guid.NewGuid(), 100.4 * i, 30.4 * i, 12.6, LatenessSeconds: 0.25 * i,
            PickupAt: DateTimeOffset.UnixEpoch.AddDays(20_000.2), FreeAt: DateTimeOffset.UnixEpoch.AddDays(20_000.3), BundleRoom: i % 3))];
        var explanation = new DispatchExplanation("batch: one matching of 1 waiting order(s)", 1500, eligible,
            [new Exclusion(Guid.NewGuid(), "offline"), new Exclusion(Guid.NewGuid(), "at capacity (1/1)")], [eligible[2].CourierId]);
        // Before the migration to bytea a row held the compact explanation's JSON text; the migration kept its UTF-8 bytes.
        var json = JsonSerializer.Serialize(CompactExplanation.From(explanation, ""), ExplanationJsonContext.Default.CompactExplanation);
        const string At = "2026-12-07T12:00:00Z";
        await server.ScalarAsync("insert into dispatch_decisions (order_id, at, explanation) values ($1, $2::timestamptz, convert_to($3, 'UTF8')) returning 1", text.Id, At, json);
        // Then, until packing: the same text Brotli-compressed behind format byte 1.
        var brotli = new byte[2048];
        brotli[0] = StoredExplanation.Compressed;
        Assert.True(System.IO.Compression.BrotliEncoder.TryCompress(System.Text.Encoding.UTF8.GetBytes(json), brotli.AsSpan(1), out var written, 2, 10));
        await server.ScalarAsync("insert into dispatch_decisions (order_id, at, explanation) values ($1, $2::timestamptz, $3) returning 1", compressed.Id, At, brotli[..(written + 1)]);
        var stored = StoredExplanation.Write(explanation, "");
        Assert.Equal(StoredExplanation.Packed, stored[0]);
        await server.ScalarAsync("insert into dispatch_decisions (order_id, at, explanation) values ($1, $2::timestamptz, $3) returning 1", packed.Id, At, stored);

        var answers = new List<string>();
        foreach (var id in new[] { text.Id, compressed.Id, packed.Id })
        {
            var response = await server.CallAsync(HttpMethod.Get, $"/api/orders/{id}/dispatch", "dispatcher");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        Assert.Contains(eligible[2].CourierId.ToString(), answers[0], StringComparison.Ordinal);
        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(answers[0], answers[2]);
        Assert.True(stored.Length < written + 1, $"packed ({stored.Length} bytes) smaller than compressed ({written + 1})");
    }

    private static readonly JsonSerializerOptions LegacyJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault };
}
