using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Orders API: idempotent creation, problem details naming the bad field, roles, and the signed payment callback.</summary>
public sealed class OrdersApiTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_retry_with_the_same_key_returns_the_same_order_and_never_a_duplicate()
    {
        server.RequireServices();
        var token = await server.MerchantTokenAsync("shop-idem");
        var body = DispatchServer.OrderBody();
        var key = Guid.NewGuid().ToString();
        var first = await server.PostOrderAsync(body, key, token);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = (await first.Content.ReadFromJsonAsync<OrderView>(DispatchServer.Json))!;

        var retries = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => server.PostOrderAsync(body, key, token)));
        foreach (var retry in retries)
        {
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            Assert.Equal(created.Id, (await retry.Content.ReadFromJsonAsync<OrderView>(DispatchServer.Json))!.Id);
        }
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where idempotency_key = $1", key));

        var different = await server.PostOrderAsync(DispatchServer.OrderBody(kind: "frozen"), key, token);
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        Assert.Contains("different request", await different.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_first_attempts_with_one_key_create_one_order()
    {
        server.RequireServices();
        var token = await server.MerchantTokenAsync("shop-race");
        var body = DispatchServer.OrderBody();
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.PostOrderAsync(body, key, token)));
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, $"status {r.StatusCode}"));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<OrderView>(DispatchServer.Json))!.Id));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where idempotency_key = $1", key));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "pickup.lat", """{"kind":"errand","pickup":{"lat":95,"lon":7.42},"dropoff":{"lat":43.73,"lon":7.42},"customerPhone":"+37761234567"}""" },
        { "dropoff.lon", """{"kind":"errand","pickup":{"lat":43.73,"lon":7.42},"dropoff":{"lat":43.73},"customerPhone":"+37761234567"}""" },
        { "dropoff", """{"kind":"errand","pickup":{"lat":43.73,"lon":7.42},"customerPhone":"+37761234567"}""" },
        { "kind", """{"pickup":{"lat":43.73,"lon":7.42},"dropoff":{"lat":43.73,"lon":7.42},"customerPhone":"+37761234567"}""" },
        { "customerPhone", """{"kind":"errand","pickup":{"lat":43.73,"lon":7.42},"dropoff":{"lat":43.735,"lon":7.42},"customerPhone":"call me"}""" },
        { "pickup", """{"kind":"errand","pickup":{"lat":48.8566,"lon":2.3522},"dropoff":{"lat":43.735,"lon":7.42},"customerPhone":"+37761234567"}""" },
        { "dropoff", """{"kind":"frozen","pickup":{"lat":43.73,"lon":7.42},"dropoff":{"lat":43.70,"lon":7.30},"customerPhone":"+37761234567"}""" },
        { "promisedAt", """{"kind":"errand","pickup":{"lat":43.73,"lon":7.42},"dropoff":{"lat":43.735,"lon":7.42},"customerPhone":"+37761234567","promisedAt":"2020-01-01T00:00:00Z"}""" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_field_gets_a_problem_naming_it_and_stores_nothing(string field, string json)
    {
        server.RequireServices();
        var key = Guid.NewGuid().ToString();
        var response = await server.PostOrderAsync(JsonSerializer.Deserialize<JsonElement>(json), key, await server.MerchantTokenAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Equal(0, await server.ScalarAsync("select count(*) from orders where idempotency_key = $1", key));
    }

    [Fact]
    public async Task Missing_key_unauthenticated_and_wrong_role_are_refused()
    {
        server.RequireServices();
        var noKey = await server.PostOrderAsync(DispatchServer.OrderBody(), null, await server.MerchantTokenAsync());
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.True((await noKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.PostOrderAsync(DispatchServer.OrderBody(), "k", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostOrderAsync(DispatchServer.OrderBody(), "k", await server.TokenAsync("courier", Guid.NewGuid().ToString()))).StatusCode);
    }

    [Fact]
    public async Task Payment_needs_a_valid_signature_and_then_starts_dispatch()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        var forged = await server.PayAsync(order.Id, "sha256=" + new string('0', 64));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(OrderStatus.Placed, (await server.GetOrderAsync(order.Id)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode); // the provider retries: harmless
        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Dispatching, view.Status); // no courier online in this class
        Assert.Equal([OrderStatus.Placed, OrderStatus.Paid, OrderStatus.Dispatching], view.Timeline.Select(t => t.Status));
        Assert.Equal("payment", view.Timeline[1].Actor);
    }

    [Fact]
    public async Task A_merchant_cannot_read_another_merchants_order()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(merchant: "shop-a");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{order.Id}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await server.MerchantTokenAsync("shop-b"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.SendAsync(request)).StatusCode);
        Assert.Null((await server.GetOrderAsync(order.Id)).Pin); // dispatchers never see the hand-over PIN
    }
}
