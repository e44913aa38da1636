using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Archive;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Dispatch.Tests.Server.Archive;

/// <summary>
/// Orders covering the views' cases (delivered and refunded in full, partly refunded, cancelled and refunded, a multi-stop
/// errand, a buy-for-me errand with its receipt, rated) are read through every view, archived by the Quartz job, and read
/// again without asking for the archive: each answer is the same JSON, and another customer still sees none of them.
/// </summary>
public sealed class ArchivedLookupTests(ArchiveLookupServer server) : IClassFixture<ArchiveLookupServer>
{
    private static readonly string[] Keys = ["keys"];

    [Fact]
    public async Task Archived_orders_answer_every_view_exactly_as_they_did_live()
    {
        server.RequireServices();
        var ct = TestContext.Current.CancellationToken;
        var alice = await server.CustomerTokenAsync("+33 6 45 00 00 01");
        var bob = await server.CustomerTokenAsync("+33 6 45 00 00 02");

        var refunded = await PlacePaidAsync(alice, CustomerApp.Trip());
        await DeliverAsync(refunded.Id);
        await RefundAsync(refunded.Id, refunded.Total, "\"refunded\"");
        var partly = await PlacePaidAsync(alice, CustomerApp.Trip());
        await DeliverAsync(partly.Id);
        await RefundAsync(partly.Id, 100, "\"partlyRefunded\"");
        var cancelled = await PlacePaidAsync(alice, CustomerApp.Trip());
        var cancel = await server.AsCustomerAsync(alice, HttpMethod.Post, $"/api/customers/me/orders/{cancelled.Id}/cancel", new { reason = "changed my mind" });
        Assert.True(cancel.StatusCode == HttpStatusCode.OK, await cancel.Content.ReadAsStringAsync(ct));
        await Eventually.WaitForAsync(() => DetailAsync(alice, cancelled.Id), v => v.Contains("\"refunded\"", StringComparison.Ordinal), "the cancelled order refunded");
        var stops = await PlacePaidAsync(alice, CustomerApp.Trip("multi-stop", [new { lat = 43.7350, lon = 7.4200, address = "Pharmacy", action = "pickup" }]));
        await DeliverAsync(stops.Id);
        var rated = await PlacePaidAsync(alice, CustomerApp.Trip());
        await DeliverAsync(rated.Id);
        var rating = await server.AsCustomerAsync(alice, HttpMethod.Post, $"/api/customers/me/orders/{rated.Id}/rating", new { stars = 4, comment = "Quick, a bit late" });
        Assert.True(rating.IsSuccessStatusCode, await rating.Content.ReadAsStringAsync(ct));
        var bought = await PlacePaidAsync(alice, CustomerApp.Trip("buy-for-me"), new { priceCapCents = 3000, shoppingList = "milk, bread" });
        await ExecuteAsync("update orders set receipt_state = 2, receipt_cents = 1840 where id = $1", bought.Id);
        await DeliverAsync(bought.Id);
        // Stays live: an open order, newer than all of them, so the customer's list pages across live and archived.
        var open = await server.PlaceParcelAsync(alice);

        var old = new[] { refunded, partly, cancelled, stops, rated, bought }.Select(o => o.Id).ToArray();
        await ExecuteAsync("update orders set created_at = created_at - interval '40 days' where id = any($1)", old);
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from outbox where processed_at is null"), n => n == 0, "the outbox relayed");
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from payment_refunds where state = 0"), n => n == 0, "every refund done");

        var before = await ViewsAsync(alice, old);
        // The cases are in the views compared: refunds, stops, the receipt, the rating.
        Assert.Contains("goodwill", before[$"GET /api/orders/{partly.Id}"], StringComparison.Ordinal);
        Assert.Contains("Pharmacy", before[$"GET /api/customers/me/orders/{stops.Id}"], StringComparison.Ordinal);
        Assert.Contains("1840", before[$"GET /api/orders/{bought.Id}"], StringComparison.Ordinal);
        Assert.Contains("Quick, a bit late", before[$"GET /api/customers/me/orders/{rated.Id}"], StringComparison.Ordinal);

        var scheduler = await server.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
        await Eventually.WaitForAsync(() => Task.FromResult(scheduler.Status), s => s == SchedulerStatus.Running, "the scheduler started", TimeSpan.FromSeconds(60));
        await scheduler.TriggerJob(OrderArchiveJob.Key, ct);
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from archive.orders where id = any($1)", old), n => n == old.Length, "the orders archived", TimeSpan.FromSeconds(60));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from orders where id = any($1)", old));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1", open.GetProperty("id").GetGuid()));

        var after = await ViewsAsync(alice, old);
        // Seven orders, two a page: one list across live and archived, none twice, none skipped.
        Assert.Equal(4, before.Keys.Count(k => k.StartsWith("customer's list", StringComparison.Ordinal)));
        var changed = before.Keys.Where(view => !after.TryGetValue(view, out var text) || text != before[view]).ToList();
        Assert.True(changed.Count == 0, string.Join("\n", changed.Select(view => $"{view} changed after archiving:\n  before {before[view]}\n  after  {after.GetValueOrDefault(view)}")));
        // Asked for the archive only, the same view too: its refunds included.
        foreach (var id in old)
            Assert.Equal(before[$"GET /api/orders/{id}"], await TextAsync(await server.CallAsync(HttpMethod.Get, $"/api/orders/{id}?archived=true", "dispatcher")));
        foreach (var id in old)
            Assert.Equal(HttpStatusCode.NotFound, (await server.AsCustomerAsync(bob, HttpMethod.Get, $"/api/customers/me/orders/{id}")).StatusCode);
    }

    /// <summary>Every view of the orders, as the JSON text each answers: staff's order and payments, the customer's detail, list pages and the number lookup.</summary>
    private async Task<Dictionary<string, string>> ViewsAsync(string customer, Guid[] ids)
    {
        var views = new Dictionary<string, string>();
        var numbers = new List<string>();
        foreach (var id in ids)
        {
            var order = await TextAsync(await server.CallAsync(HttpMethod.Get, $"/api/orders/{id}", "dispatcher"));
            views[$"GET /api/orders/{id}"] = order;
            if (order.StartsWith('{')) numbers.Add(JsonDocument.Parse(order).RootElement.GetProperty("number").GetString()!);
            views[$"GET /api/orders/{id}/payments"] = await TextAsync(await server.CallAsync(HttpMethod.Get, $"/api/orders/{id}/payments", "dispatcher"));
            views[$"GET /api/customers/me/orders/{id}"] = await DetailAsync(customer, id);
        }
        long? next = null;
        var page = 0;
        do
        {
            var text = await TextAsync(await server.AsCustomerAsync(customer, HttpMethod.Get, $"/api/customers/me/orders?limit=2{(next is null ? "" : $"&before={next}")}"));
            views[$"customer's list page {page++}"] = text;
            var nextBefore = JsonDocument.Parse(text).RootElement.GetProperty("nextBefore");
            next = nextBefore.ValueKind == JsonValueKind.Null ? null : nextBefore.GetInt64();
        }
        while (next is not null && page < 10);
        views["POST /api/orders/lookup"] = await TextAsync(await server.CallAsync(HttpMethod.Post, "/api/orders/lookup", "dispatcher", new { numbers }));
        return views;
    }

    private async Task<string> DetailAsync(string customer, Guid id) =>
        await TextAsync(await server.AsCustomerAsync(customer, HttpMethod.Get, $"/api/customers/me/orders/{id}"));

    private static async Task<string> TextAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK ? text : $"{(int)response.StatusCode} {text}";
    }

    private async Task<(Guid Id, int Total)> PlacePaidAsync(string token, object trip, object? buyForMe = null)
    {
        var quote = await server.QuoteAsync(token, trip);
        var placed = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/orders",
            new { quoteId = quote.GetProperty("id").GetGuid(), contactName = "Claire", items = Keys, buyForMe });
        Assert.True(placed.StatusCode == HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        var id = (await placed.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("id").GetGuid();
        var started = await server.AsCustomerAsync(token, HttpMethod.Post, $"/api/customers/me/orders/{id}/payment", new { provider = "sandbox" });
        Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        var payment = await started.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var paid = await server.Http.PostAsync(payment.GetProperty("client").GetProperty("payUrl").GetString(), null);
        Assert.True(paid.StatusCode == HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
        return (id, quote.GetProperty("totalCents").GetInt32());
    }

    /// <summary>Delivered in SQL: the courier's path is other tests' business.</summary>
    private Task DeliverAsync(Guid id) => ExecuteAsync("update orders set status = 9, delivered_at = now(), version = version + 1 where id = $1", id);

    private async Task RefundAsync(Guid id, int cents, string state)
    {
        var refund = await server.CallAsync(HttpMethod.Post, $"/api/orders/{id}/refunds", "dispatcher", new { amountCents = cents, reason = "goodwill" });
        Assert.True(refund.StatusCode == HttpStatusCode.Accepted, await refund.Content.ReadAsStringAsync());
        await Eventually.WaitForAsync(async () => await TextAsync(await server.CallAsync(HttpMethod.Get, $"/api/orders/{id}", "dispatcher")),
            v => v.Contains(state, StringComparison.Ordinal), $"the refund of {cents} cents");
    }

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = server.Db.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }
}
