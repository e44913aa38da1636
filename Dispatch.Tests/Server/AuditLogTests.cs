using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// Every dispatcher and admin action leaves exactly one audit row, written with the action (a refused one leaves none);
/// admins search the log by actor, target, action and time, newest first, page by page.
/// </summary>
public sealed class AuditLogTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const string Nice = "POLYGON((7.25 43.69, 7.29 43.69, 7.29 43.71, 7.25 43.71, 7.25 43.69))";

    private Task<long> RowsAsync(string target, string? action = null) => action is null
        ? server.ScalarAsync("select count(*) from audit_log where target = $1", target)
        : server.ScalarAsync("select count(*) from audit_log where target = $1 and action = $2", target, action);

    private async Task<HttpResponseMessage> AsAsync(HttpMethod method, string path, string role, string subject, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync(role, subject));
        if (body is not null) request.Content = JsonContent.Create(body, options: DispatchServer.Json);
        return await server.Http.SendAsync(request);
    }

    [Fact]
    public async Task Reassigning_moving_all_cancelling_and_failing_leave_one_row_each_and_refusals_none()
    {
        server.RequireServices();
        await using var first = await server.OnlineCourierAtAsync("audit-first", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0001, Equipment.None);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        await first.AcceptAsync((await first.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer to the first courier")).OfferId);
        await using var second = await server.OnlineCourierAtAsync("audit-second", DispatchServer.CasinoLat + 0.001, DispatchServer.CasinoLon, Equipment.None);
        var target = $"order:{order.Id}";

        Assert.Equal(HttpStatusCode.Conflict, (await AsAsync(HttpMethod.Post, $"/api/orders/{order.Id}/assign", "dispatcher", "d-audit", new { courierId = first.Id })).StatusCode);
        Assert.Equal(0, await RowsAsync(target));
        Assert.Equal(HttpStatusCode.OK, (await AsAsync(HttpMethod.Post, $"/api/orders/{order.Id}/assign", "dispatcher", "d-audit", new { courierId = second.Id, reason = "flat tyre" })).StatusCode);
        Assert.Equal(1, await RowsAsync(target, "order.reassign"));

        var moveAll = await AsAsync(HttpMethod.Post, $"/api/couriers/{second.Id}/reassign", "dispatcher", "d-audit", new { toCourierId = first.Id, reason = "shift over" });
        Assert.Equal(HttpStatusCode.OK, moveAll.StatusCode);
        Assert.Equal(1, await RowsAsync($"courier:{second.Id}", "courier.move-all"));
        Assert.Equal(1, await RowsAsync(target)); // the move-all is one row on the courier, not one per order

        // A merchant's own cancel is in the order's timeline, not the audit log; a dispatcher's is audited; a refused one is not.
        var mine = await server.CreateOrderAsync();
        Assert.Equal(HttpStatusCode.OK, (await AsAsync(HttpMethod.Post, $"/api/orders/{mine.Id}/cancel", "merchant", "shop-1", new { reason = "customer changed their mind" })).StatusCode);
        Assert.Equal(0, await RowsAsync($"order:{mine.Id}"));
        Assert.Equal(HttpStatusCode.OK, (await AsAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", "d-audit", new { reason = "restaurant closed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await AsAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", "d-audit", new { reason = "again" })).StatusCode);
        Assert.Equal(1, await RowsAsync(target, "order.cancel"));

        var carried = await server.CreateOrderAsync();
        await server.PayAsync(carried.Id);
        var offer = await first.Offers.NextAsync(o => o.OrderId == carried.Id, what: "offer of the order to fail");
        Assert.Equal(HttpStatusCode.Conflict, (await AsAsync(HttpMethod.Post, $"/api/orders/{carried.Id}/fail", "dispatcher", "d-audit", new { reason = "not carried yet" })).StatusCode);
        await first.AcceptAsync(offer.OfferId);
        await first.ArrivedAsync(carried.Id);
        await first.PickedUpAsync(carried.Id);
        Assert.Equal(HttpStatusCode.OK, (await AsAsync(HttpMethod.Post, $"/api/orders/{carried.Id}/fail", "dispatcher", "d-audit", new { reason = "goods damaged" })).StatusCode);
        Assert.Equal(1, await RowsAsync($"order:{carried.Id}"));
        Assert.Equal(1, await RowsAsync($"order:{carried.Id}", "order.fail"));
    }

    [Fact]
    public async Task A_dispatchers_refund_leaves_one_row_with_the_amount_and_a_refused_one_none()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        var target = $"order:{order.Id}";

        Assert.Equal(HttpStatusCode.BadRequest, (await AsAsync(HttpMethod.Post, $"/api/orders/{order.Id}/refunds", "dispatcher", "d-refund", new { amountCents = 100 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await AsAsync(HttpMethod.Post, $"/api/orders/{order.Id}/refunds", "dispatcher", "d-refund", new { amountCents = 1_000_000, reason = "too much" })).StatusCode);
        Assert.Equal(0, await RowsAsync(target));
        Assert.Equal(HttpStatusCode.Accepted, (await AsAsync(HttpMethod.Post, $"/api/orders/{order.Id}/refunds", "dispatcher", "d-refund", new { amountCents = 100, reason = "one item missing" })).StatusCode);
        Assert.Equal(1, await RowsAsync(target));
        Assert.Equal(1, await server.ScalarAsync(
            "select count(*) from audit_log where target = $1 and action = 'order.refund' and actor = 'd-refund' and role = 'dispatcher' and (after->>'amountCents')::int = 100", target));
        // Left waiting, the paid order would be offered to the next test's only courier before that test's own order.
        Assert.Equal(HttpStatusCode.OK, (await AsAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "merchant", "shop-1", new { reason = "test over" })).StatusCode);
    }

    [Fact]
    public async Task Zone_strategy_account_and_key_changes_leave_one_row_each_and_refusals_none()
    {
        server.RequireServices();
        Assert.Equal(HttpStatusCode.BadRequest, (await server.CallAsync(HttpMethod.Put, "/api/zones/nice", "admin", new { boundary = "around the port" })).StatusCode);
        Assert.Equal(0, await RowsAsync("zone:nice"));
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Put, "/api/zones/nice", "admin", new { boundary = Nice })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.CallAsync(HttpMethod.Delete, "/api/zones/nice", "admin")).StatusCode);
        Assert.Equal(1, await RowsAsync("zone:nice", "zone.add"));
        Assert.Equal(1, await RowsAsync("zone:nice", "zone.remove"));

        Assert.Equal(HttpStatusCode.BadRequest, (await server.CallAsync(HttpMethod.Put, "/api/zones/monaco/strategy", "admin", new { strategy = "lottery" })).StatusCode);
        Assert.Equal(0, await RowsAsync("zone:monaco"));
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Put, "/api/zones/monaco/strategy", "admin", new { strategy = "broadcast", fanout = 3 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Delete, "/api/zones/monaco/strategy", "admin")).StatusCode);
        var set = await server.ScalarAsync("select count(*) from audit_log where target = 'zone:monaco' and action = 'zone.strategy.set' and after->>'fanout' = '3'");
        Assert.Equal(1, set);
        Assert.Equal(1, await RowsAsync("zone:monaco", "zone.strategy.reset"));

        await server.CreateAsync("audited.merchant", "merchant", new { organisation = "shop-audit" });
        Assert.Equal(HttpStatusCode.NotFound, (await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/nobody.here/suspend", "admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/audited.merchant/suspend", "admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/audited.merchant/reinstate", "admin")).StatusCode);
        Assert.Equal(0, await RowsAsync("account:nobody.here"));
        Assert.Equal(3, await RowsAsync("account:audited.merchant"));
        Assert.Equal(1, await RowsAsync("account:audited.merchant", "account.create"));

        var created = await AsAsync(HttpMethod.Post, "/api/merchant/keys", "merchant", "shop-audit", new { name = "till" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var keyId = (await created.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("keyId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await AsAsync(HttpMethod.Delete, $"/api/merchant/keys/{keyId}", "merchant", "shop-audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AsAsync(HttpMethod.Delete, $"/api/merchant/keys/{keyId}", "merchant", "shop-audit")).StatusCode); // already revoked
        Assert.Equal(HttpStatusCode.NotFound, (await AsAsync(HttpMethod.Delete, $"/api/merchant/keys/{keyId}", "merchant", "shop-other")).StatusCode);
        Assert.Equal(1, await RowsAsync($"merchant-key:{keyId}", "merchant-key.create"));
        Assert.Equal(1, await RowsAsync($"merchant-key:{keyId}", "merchant-key.revoke"));
    }

    [Fact]
    public async Task Admins_page_through_the_log_newest_first_with_filters()
    {
        server.RequireServices();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++) ids.Add(await server.RegisterCourierAsync($"paged.{i}"));
        foreach (var id in ids) await server.ApproveAsync(id, Equipment.None, capacity: 1);

        async Task<JsonElement> PageAsync(string query) =>
            await (await server.CallAsync(HttpMethod.Get, "/api/admin/audit?" + query, "admin")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);

        var seen = new List<long>();
        var page = await PageAsync("action=courier.approve&actor=admin-1&limit=2");
        while (true)
        {
            seen.AddRange(page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            if (page.GetProperty("next").ValueKind == JsonValueKind.Null) break;
            page = await PageAsync($"action=courier.approve&actor=admin-1&limit=2&before={page.GetProperty("next").GetInt64()}");
        }
        Assert.True(seen.Count >= 5, $"{seen.Count} approvals seen");
        Assert.Equal(seen.OrderByDescending(x => x), seen); // newest first, no row twice
        Assert.Equal(seen.Count, seen.Distinct().Count());

        var one = await PageAsync($"target={Uri.EscapeDataString($"courier:{ids[2]}")}&action=courier.*");
        Assert.Equal(["courier.approve", "courier.register"], one.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray());
        var future = await PageAsync($"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        Assert.Equal(0, future.GetProperty("entries").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await server.CallAsync(HttpMethod.Get, "/api/admin/audit?limit=0", "admin")).StatusCode);
    }
}
