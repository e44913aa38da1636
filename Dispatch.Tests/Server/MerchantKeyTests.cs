using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Merchant API keys: a request signed with one is that merchant's; stale, replayed, forged or revoked ones are refused and say which.</summary>
public sealed class MerchantKeyTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private async Task<(string KeyId, string Secret)> NewKeyAsync(string organisation)
    {
        var username = "keys." + organisation;
        await server.CreateAsync(username, "merchant", new { organisation });
        var access = (await server.SessionAsync(username)).GetProperty("accessToken").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/merchant/keys") { Content = JsonContent.Create(new { name = "till" }, options: DispatchServer.Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var key = await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal(organisation, key.GetProperty("organisation").GetString());
        return (key.GetProperty("keyId").GetString()!, key.GetProperty("secret").GetString()!);
    }

    private async Task<(HttpStatusCode Status, string? Title)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await server.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length > 0 && text.StartsWith('{') ? JsonDocument.Parse(text).RootElement.TryGetProperty("title", out var t) ? t.GetString() : null : null);
        }
    }

    [Fact]
    public async Task A_signed_request_creates_an_order_as_the_keys_merchant()
    {
        server.RequireServices();
        var (keyId, secret) = await NewKeyAsync("shop-signed");
        using var request = SignedRequest.Build(HttpMethod.Post, "/api/orders", DispatchServer.OrderBody(), keyId, secret);
        var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = (await response.Content.ReadFromJsonAsync<Dispatch.Server.Orders.OrderView>(DispatchServer.Json))!;
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and merchant_id = 'shop-signed'", order.Id));
        // A signed GET with a query string: the target signed is the path with its query, as sent.
        var read = await SendAsync(SignedRequest.Build(HttpMethod.Get, $"/api/orders/{order.Id}?view=full", null, keyId, secret));
        Assert.Equal(HttpStatusCode.OK, read.Status);
    }

    [Fact]
    public async Task Stale_replayed_forged_unknown_and_revoked_signatures_are_refused_saying_which()
    {
        server.RequireServices();
        var (keyId, secret) = await NewKeyAsync("shop-refused");
        var body = DispatchServer.OrderBody();

        Assert.Equal((HttpStatusCode.Unauthorized, "Stale timestamp"),
            await SendAsync(SignedRequest.Build(HttpMethod.Post, "/api/orders", body, keyId, secret, at: DateTimeOffset.UtcNow.AddMinutes(-5).AddSeconds(-5))));
        Assert.Equal((HttpStatusCode.Unauthorized, "Stale timestamp"),
            await SendAsync(SignedRequest.Build(HttpMethod.Post, "/api/orders", body, keyId, secret, at: DateTimeOffset.UtcNow.AddMinutes(5).AddSeconds(5))));
        Assert.Equal((HttpStatusCode.Unauthorized, "Wrong signature"),
            await SendAsync(SignedRequest.Build(HttpMethod.Post, "/api/orders", body, keyId, secret, signatureOverride: new string('0', 64))));
        Assert.Equal((HttpStatusCode.Unauthorized, "Wrong signature"),
            await SendAsync(SignedRequest.Build(HttpMethod.Post, "/api/orders", body, keyId, "not-the-secret")));
        Assert.Equal((HttpStatusCode.Unauthorized, "Unknown API key"),
            await SendAsync(SignedRequest.Build(HttpMethod.Post, "/api/orders", body, "dk_00000000000000000000", secret)));

        var nonce = "replay-" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(SignedRequest.Build(HttpMethod.Post, "/api/orders", body, keyId, secret, nonce: nonce))).Status);
        Assert.Equal((HttpStatusCode.Unauthorized, "Nonce already used"),
            await SendAsync(SignedRequest.Build(HttpMethod.Post, "/api/orders", body, keyId, secret, nonce: nonce)));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where merchant_id = 'shop-refused'"));

        var revoke = await server.CallAsync(HttpMethod.Delete, $"/api/merchant/keys/{keyId}", "admin");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, "API key revoked"),
            await SendAsync(SignedRequest.Build(HttpMethod.Post, "/api/orders", body, keyId, secret)));
    }

    [Fact]
    public async Task A_key_cannot_manage_keys_and_a_merchant_cannot_revoke_another_merchants_key()
    {
        server.RequireServices();
        var (keyId, secret) = await NewKeyAsync("shop-own");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(SignedRequest.Build(HttpMethod.Post, "/api/merchant/keys", new { name = "more" }, keyId, secret))).Status);
        using var other = new HttpRequestMessage(HttpMethod.Delete, $"/api/merchant/keys/{keyId}");
        other.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.MerchantTokenAsync("shop-other"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.SendAsync(other)).StatusCode);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from merchant_keys where id = $1 and revoked_at is not null", keyId));
    }
}
