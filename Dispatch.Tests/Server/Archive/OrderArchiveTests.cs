using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Archive;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Dispatch.Tests.Server.Archive;

/// <summary>
/// A simulated month of finished orders (created through the API, then cancelled through it or finished and back-dated in
/// SQL, with offers and dispatch decisions) is archived by the Quartz job, and every order is found again, identical: its
/// row, events, offers and decisions, its view in the order API (?archived=true), the merchant's list and the search.
/// </summary>
public sealed class OrderArchiveTests(ArchiveServer server) : IClassFixture<ArchiveServer>
{
    private const int Days = 31;

    [Fact]
    public async Task A_month_of_finished_orders_is_archived_and_found_again_identical()
    {
        server.RequireServices();
        var ct = TestContext.Current.CancellationToken;
        var old = new List<Guid>();
        for (var day = 0; day < Days; day++)
        {
            var order = await server.CreateOrderAsync(merchant: "shop-archive");
            old.Add(order.Id);
            // A third cancelled through the API, the rest delivered or failed (the courier's path is other tests' business).
            if (day % 3 == 0)
            {
                var cancel = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "simulated month" });
                Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            }
            else
            {
                await ExecuteAsync("update orders set status = $2, delivered_at = case when $2 = 9 then now() end where id = $1", order.Id, day % 3 == 1 ? 9 : 11);
            }
            await ExecuteAsync(
                "insert into offers (id, order_id, courier_id, status, created_at, expires_at, responded_at, reason, rank, distance_metres, cost) " +
                "values (gen_random_uuid(), $1, gen_random_uuid(), 2, now(), now() + interval '30 seconds', now(), 'declined in the simulation', 1, 812.5, 3.25), " +
                "(gen_random_uuid(), $1, gen_random_uuid(), 1, now(), now() + interval '30 seconds', now(), null, 2, 1030.0, 4.5)", order.Id);
            await ExecuteAsync("insert into dispatch_decisions (order_id, at, explanation) values ($1, now(), '{\"round\": 1}')", order.Id);
            // Back-dated by 35 + day days: a month of days, all past the 30-day horizon.
            var shift = $"{35 + day} days";
            await ExecuteAsync("update orders set created_at = created_at - $2::interval, delivered_at = delivered_at - $2::interval, promised_at = promised_at - $2::interval where id = $1", order.Id, shift);
            await ExecuteAsync("update order_events set at = at - $2::interval where order_id = $1", order.Id, shift);
            await ExecuteAsync("update offers set created_at = created_at - $2::interval, expires_at = expires_at - $2::interval, responded_at = responded_at - $2::interval where order_id = $1", order.Id, shift);
        }
        // Kept live: a recent finished order, and an old order still open.
        var recent = await server.CreateOrderAsync(merchant: "shop-archive");
        await ExecuteAsync("update orders set status = 11 where id = $1", recent.Id);
        var open = await server.CreateOrderAsync(merchant: "shop-archive");
        await ExecuteAsync("update orders set status = 1, created_at = created_at - interval '50 days' where id = $1", open.Id);
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from outbox where processed_at is null"), n => n == 0, "the outbox relayed");

        // The kept orders live on (the recovery sweep may move the open one meanwhile): the counts leave them out.
        var kept = new[] { recent.Id, open.Id };
        var before = new Dictionary<Guid, (string Rows, string View)>();
        foreach (var id in old) before[id] = (await RowsAsync("public", id), await ViewAsync(id, archived: false));
        var liveRowsBefore = await server.ScalarAsync("select (select count(*) from orders where id <> all($1)) + (select count(*) from order_events where order_id <> all($1)) + (select count(*) from offers where order_id <> all($1)) + (select count(*) from dispatch_decisions where order_id <> all($1))", kept);

        var scheduler = await server.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
        await Eventually.WaitForAsync(() => Task.FromResult(scheduler.Status), s => s == SchedulerStatus.Running, "the scheduler started", TimeSpan.FromSeconds(60));
        await scheduler.TriggerJob(OrderArchiveJob.Key, ct);
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from archive.orders"), n => n == Days, $"{Days} orders archived", TimeSpan.FromSeconds(60));
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from orders where id = any($1)", old.ToArray()), n => n == 0, "the archived orders gone from the live table");

        // Nothing lost, nothing doubled: every row counted before is in one place after.
        var archivedRows = await server.ScalarAsync("select (select count(*) from archive.orders) + (select count(*) from archive.order_events) + (select count(*) from archive.offers) + (select count(*) from archive.dispatch_decisions)");
        var liveRowsAfter = await server.ScalarAsync("select (select count(*) from orders where id <> all($1)) + (select count(*) from order_events where order_id <> all($1)) + (select count(*) from offers where order_id <> all($1)) + (select count(*) from dispatch_decisions where order_id <> all($1))", kept);
        Assert.Equal(liveRowsBefore, liveRowsAfter + archivedRows);
        Assert.Equal(2, await server.ScalarAsync("select count(*) from orders where id = any($1)", new[] { recent.Id, open.Id }));

        foreach (var id in old)
        {
            Assert.Equal(before[id].Rows, await RowsAsync("archive", id));
            Assert.Equal(before[id].View, await ViewAsync(id, archived: true));
        }
        // Without ?archived the lookup falls back to the archive; ?archived=false reads the live tables only.
        Assert.Equal(before[old[0]].View, await ViewAsync(old[0], archived: false));
        Assert.Equal(HttpStatusCode.NotFound, (await server.CallAsync(HttpMethod.Get, $"/api/orders/{old[0]}?archived=false", "dispatcher")).StatusCode);

        // The merchant's list with ?archived=true, ten a page, and the search over a date range reaching back to them.
        var listed = new List<Guid>();
        var token = await server.MerchantTokenAsync("shop-archive");
        string? cursor = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders?archived=true&limit=10{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var page = await server.Http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            listed.AddRange((await page.Content.ReadFromJsonAsync<JsonElement>(ct)).EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
            cursor = page.Headers.TryGetValues("Next-Cursor", out var next) ? next.Single() : null;
        }
        while (cursor is not null);
        Assert.Equal(old.ToHashSet(), listed.ToHashSet());
        Assert.Equal(Days, listed.Count);

        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-80).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        var search = await server.CallAsync(HttpMethod.Get, $"/api/orders/search?from={from}&to={to}&limit=200", "dispatcher");
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var found = (await search.Content.ReadFromJsonAsync<JsonElement>(ct)).EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToHashSet();
        Assert.Superset(old.Append(recent.Id).Append(open.Id).ToHashSet(), found);

        var refused = await server.CallAsync(HttpMethod.Get, "/api/orders/search?from=" + from + "&to=" + to + "&archived=maybe", "dispatcher");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("archived", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    /// <summary>The order's row and its events, offers and decisions, as JSON text, from one schema.</summary>
    private async Task<string> RowsAsync(string schema, Guid id)
    {
        await using var command = server.Db.CreateCommand(
            $"select (select row_to_json(o)::text from {schema}.orders o where o.id = $1) || '|' || " +
            $"coalesce((select string_agg(row_to_json(e)::text, ',' order by e.id) from {schema}.order_events e where e.order_id = $1), '') || '|' || " +
            $"coalesce((select string_agg(row_to_json(f)::text, ',' order by f.id) from {schema}.offers f where f.order_id = $1), '') || '|' || " +
            $"coalesce((select string_agg(row_to_json(d)::text, ',' order by d.id) from {schema}.dispatch_decisions d where d.order_id = $1), '')");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"order {id} is not in {schema}");
    }

    private async Task<string> ViewAsync(Guid id, bool archived)
    {
        var response = await server.CallAsync(HttpMethod.Get, $"/api/orders/{id}{(archived ? "?archived=true" : "")}", "dispatcher");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = server.Db.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }
}
