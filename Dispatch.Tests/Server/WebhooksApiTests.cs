using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// The webhook API on the real server: a merchant reaches only its own endpoints and deliveries (another's are "not
/// found"), an admin reaches any merchant's; bad URLs and unknown event types are 400 problems naming the field and store
/// nothing; the signing secret is shown once and stored encrypted.
/// </summary>
public sealed class WebhooksApiTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly string[] StatusOnly = ["order.status"];
    private static readonly string[] ArrivingOnly = ["order.arriving"];
    private static readonly string[] WithUnknown = ["order.status", "order.eaten"];

    [Fact]
    public async Task A_merchant_cannot_see_or_touch_another_merchants_endpoints_or_deliveries()
    {
        server.RequireServices();
        var owner = $"wh-own-{Guid.NewGuid():N}";
        var other = $"wh-other-{Guid.NewGuid():N}";
        var hook = await RegisterAsync(owner, new { url = "https://shop.example/events", events = StatusOnly });
        var id = hook.GetProperty("id").GetGuid();
        var deliveryId = await server.ScalarAsync("""
            insert into webhook_deliveries (endpoint_id, event_id, event_type, sequence, body, state, attempts, next_attempt_at, created_at)
            values ($1, gen_random_uuid(), 'order.status', 1, '{}', 2, 3, now(), now()) returning id
            """, id);

        using (var list = await CallAsync(HttpMethod.Get, "/api/webhooks", "merchant", other))
            Assert.DoesNotContain(id.ToString(), await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"/api/webhooks/{id}/deliveries"),
            (HttpMethod.Post, $"/api/webhooks/deliveries/{deliveryId}/redeliver"),
            (HttpMethod.Delete, $"/api/webhooks/{id}"),
        })
        {
            using var response = await CallAsync(method, path, "merchant", other);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} by another merchant: {response.StatusCode}");
        }
        Assert.Equal(1, await server.ScalarAsync("select count(*) from webhook_endpoints where id = $1", id));
        Assert.Equal(2, await server.ScalarAsync("select state from webhook_deliveries where id = $1", deliveryId)); // still dead

        // The owner and an admin see both; the owner's list has it.
        using (var mine = await CallAsync(HttpMethod.Get, "/api/webhooks", "merchant", owner))
            Assert.Contains(id.ToString(), await mine.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using (var log = await CallAsync(HttpMethod.Get, $"/api/webhooks/{id}/deliveries?state=dead", "admin", "root"))
        {
            Assert.Equal(HttpStatusCode.OK, log.StatusCode);
            var entry = Assert.Single((await log.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).EnumerateArray());
            Assert.Equal("dead", entry.GetProperty("state").GetString());
        }
        using (var redeliver = await CallAsync(HttpMethod.Post, $"/api/webhooks/deliveries/{deliveryId}/redeliver", "admin", "root"))
            Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        using (var again = await CallAsync(HttpMethod.Post, $"/api/webhooks/deliveries/{deliveryId}/redeliver", "admin", "root"))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // already queued
        using (var delete = await CallAsync(HttpMethod.Delete, $"/api/webhooks/{id}", "merchant", owner))
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from webhook_deliveries where endpoint_id = $1", id));
    }

    public static TheoryData<string, object, string> Refused => new()
    {
        { "not a URL", new { url = "shop.example/events", events = StatusOnly }, "url" },
        { "ftp", new { url = "ftp://shop.example/events", events = StatusOnly }, "url" },
        { "plain http to another host", new { url = "http://shop.example/events", events = StatusOnly }, "url" },
        { "password in the URL", new { url = "https://user:pw@shop.example/events", events = StatusOnly }, "url" },
        { "no URL", new { events = StatusOnly }, "url" },
        { "unknown event type", new { url = "https://shop.example/events", events = WithUnknown }, "events" },
        { "no events", new { url = "https://shop.example/events", events = Array.Empty<string>() }, "events" },
        { "another merchant named", new { url = "https://shop.example/events", events = StatusOnly, merchantId = "someone-else" }, "merchantId" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_refused_registration_is_a_400_naming_the_field_and_stores_nothing(string name, object body, string field)
    {
        server.RequireServices();
        var merchant = $"wh-bad-{Guid.NewGuid():N}";
        using var response = await CallAsync(HttpMethod.Post, "/api/webhooks", "merchant", merchant, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {response.StatusCode} {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"{name}: errors should name {field}: {text}");
        Assert.Equal(0, await server.ScalarAsync("select count(*) from webhook_endpoints where merchant_id = $1", merchant));
    }

    [Fact]
    public async Task An_admin_must_say_which_merchant_and_may_register_for_any()
    {
        server.RequireServices();
        using (var missing = await CallAsync(HttpMethod.Post, "/api/webhooks", "admin", "root", new { url = "https://shop.example/a", events = StatusOnly }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Contains("merchantId", await missing.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        var merchant = $"wh-admin-{Guid.NewGuid():N}";
        using var created = await CallAsync(HttpMethod.Post, "/api/webhooks", "admin", "root",
            new { url = "https://shop.example/a", events = ArrivingOnly, merchantId = merchant });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var theirs = await CallAsync(HttpMethod.Get, "/api/webhooks", "merchant", merchant);
        var listed = Assert.Single((await theirs.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).EnumerateArray());
        Assert.Equal("https://shop.example/a", listed.GetProperty("url").GetString());
        Assert.Equal(["order.arriving"], listed.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        using var dispatcher = await CallAsync(HttpMethod.Get, "/api/webhooks", "dispatcher", "d-1");
        Assert.Equal(HttpStatusCode.Forbidden, dispatcher.StatusCode);
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_stored_encrypted()
    {
        server.RequireServices();
        var merchant = $"wh-secret-{Guid.NewGuid():N}";
        var hook = await RegisterAsync(merchant, new { url = "https://shop.example/events", events = StatusOnly });
        var secret = hook.GetProperty("secret").GetString()!;
        Assert.Equal(32, Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + "=").Length);

        using var list = await CallAsync(HttpMethod.Get, "/api/webhooks", "merchant", merchant);
        var text = await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"secret\"", text, StringComparison.OrdinalIgnoreCase);
        await using var read = server.Db.CreateCommand("select secret_encrypted from webhook_endpoints where merchant_id = $1");
        read.Parameters.Add(new Npgsql.NpgsqlParameter { Value = merchant });
        var stored = (string)(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_delivery_log_refuses_an_unknown_state_or_limit_by_name()
    {
        server.RequireServices();
        var merchant = $"wh-log-{Guid.NewGuid():N}";
        var id = (await RegisterAsync(merchant, new { url = "https://shop.example/events", events = StatusOnly })).GetProperty("id").GetGuid();
        foreach (var (query, field) in new[] { ("state=lost", "state"), ("state=1", "state"), ("limit=0", "limit"), ("limit=501", "limit") })
        {
            using var response = await CallAsync(HttpMethod.Get, $"/api/webhooks/{id}/deliveries?{query}", "merchant", merchant);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {response.StatusCode} {text}");
            Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{query}: should name {field}: {text}");
        }
    }

    private async Task<JsonElement> RegisterAsync(string merchant, object body)
    {
        using var response = await CallAsync(HttpMethod.Post, "/api/webhooks", "merchant", merchant, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
    }

    private async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, string role, string subject, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", await server.TokenAsync(role, subject));
        if (body is not null) request.Content = JsonContent.Create(body, options: DispatchServer.Json);
        return await server.Http.SendAsync(request);
    }
}
