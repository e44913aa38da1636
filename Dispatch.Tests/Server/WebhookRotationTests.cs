using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// Rotating an endpoint's signing secret through the API: the new secret is shown once; while the overlap lasts each
/// delivery carries a v1 signature with the new secret and one with the old; after it, only the new one signs. Only the
/// endpoint's merchant (or an admin) may rotate, and a bad overlap is a 400 naming the field that changes nothing.
/// </summary>
public sealed class WebhookRotationTests(WebhookServer server) : IClassFixture<WebhookServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task During_the_overlap_both_secrets_sign_and_after_it_only_the_new_one()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-rot-{Guid.NewGuid():N}";
        var hook = await WebhookEndpoints.RegisterAsync(server, merchant, receiver.UrlFor("/hooks/rotate"));

        using var rotated = await CallAsync(HttpMethod.Post, $"/api/webhooks/{hook.Id}/rotate-secret", merchant, new { overlapSeconds = 3600 });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var answer = await rotated.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var secret = answer.GetProperty("secret").GetString()!;
        Assert.NotEqual(hook.Secret, secret);
        var until = answer.GetProperty("previousSecretValidUntil").GetDateTimeOffset();
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));

        var during = await SendOneAsync(merchant, receiver);
        var signatures = Signatures(during);
        Assert.Equal(2, signatures.Count);
        Assert.Equal(Hmac(secret, during), signatures[0]); // newest first
        Assert.Equal(Hmac(hook.Secret, during), signatures[1]);

        // The overlap is over (as if an hour had passed): only the new secret signs.
        await server.ScalarAsync("update webhook_endpoints set previous_secret_until = now() - interval '1 second' where id = $1", hook.Id);
        var after = await SendOneAsync(merchant, receiver);
        Assert.Equal([Hmac(secret, after)], Signatures(after));
    }

    [Fact]
    public async Task Only_the_owner_rotates_and_a_bad_overlap_is_refused_naming_the_field_and_changing_nothing()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-rot-own-{Guid.NewGuid():N}";
        var hook = await WebhookEndpoints.RegisterAsync(server, merchant, receiver.UrlFor("/hooks/rotate-own"));
        var stored = await StoredSecretAsync(hook.Id);

        using (var other = await CallAsync(HttpMethod.Post, $"/api/webhooks/{hook.Id}/rotate-secret", $"wh-rot-other-{Guid.NewGuid():N}", new { }))
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        using (var bad = await CallAsync(HttpMethod.Post, $"/api/webhooks/{hook.Id}/rotate-secret", merchant, new { overlapSeconds = -5 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var problem = await bad.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
            Assert.True(problem.GetProperty("errors").TryGetProperty("overlapSeconds", out _), problem.ToString());
        }
        Assert.Equal(stored, await StoredSecretAsync(hook.Id));

        // No body: the configured overlap; the old secret still verifies the next delivery.
        using var rotated = await CallAsync(HttpMethod.Post, $"/api/webhooks/{hook.Id}/rotate-secret", merchant);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var r = await SendOneAsync(merchant, receiver);
        Assert.Contains(Hmac(hook.Secret, r), Signatures(r));
    }

    private async Task<ReceivedWebhook> SendOneAsync(string merchant, WebhookReceiver receiver)
    {
        var order = Guid.NewGuid();
        await server.CommitEventsAsync((OutboxKinds.OrderStatus, order,
            new OrderMoved(order, 11, merchant, "monaco", OrderStatus.Placed, OrderStatus.Paid, null, null, DateTimeOffset.UtcNow, "system:test", null)));
        while (true)
        {
            var r = await receiver.Received.NextAsync(timeout: Wait, what: "the webhook of the order just committed");
            if (r.OrderId == order) return r;
        }
    }

    private async Task<string> StoredSecretAsync(Guid endpoint)
    {
        await using var command = server.Db.CreateCommand("select secret_encrypted || coalesce(previous_secret_encrypted, '') from webhook_endpoints where id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = endpoint });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The v1 values of the signature header, in order.</summary>
    private static List<string> Signatures(ReceivedWebhook r) =>
        [.. r.Header("Dispatch-Signature").Split(',').Select(p => p.Split('=', 2)).Where(p => p[0] == "v1").Select(p => p[1])];

    /// <summary>The receiver's computation, written out: HMAC-SHA256(secret, "t.body") in lower-case hex.</summary>
    private static string Hmac(string secret, ReceivedWebhook r)
    {
        var t = r.Header("Dispatch-Signature").Split(',').Select(p => p.Split('=', 2)).First(p => p[0] == "t")[1];
        Assert.True(Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(t, CultureInfo.InvariantCulture)) < 300);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{r.Body}")));
    }

    private async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, string merchant, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", await server.TokenAsync("merchant", merchant));
        if (body is not null) request.Content = JsonContent.Create(body, options: DispatchServer.Json);
        return await server.Http.SendAsync(request);
    }
}
