using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>The catalogue, quotes, and a customer placing, listing, reading and rating their own orders.</summary>
public sealed class CustomerOrderingTests(CustomerServer server) : IClassFixture<CustomerServer>
{
    private static readonly string[] Keys = ["keys"];

    [Fact]
    public async Task Services_are_searched_by_keyword_and_kind()
    {
        server.RequireServices();
        var all = await server.Http.GetFromJsonAsync<JsonElement>("/api/services?zone=monaco", DispatchServer.Json);
        Assert.Equal(["parcel", "buy-for-me", "multi-stop", "frozen"], all.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var medicine = await server.Http.GetFromJsonAsync<JsonElement>("/api/services?q=medicine", DispatchServer.Json);
        Assert.Equal("buy-for-me", Assert.Single(medicine.EnumerateArray()).GetProperty("id").GetString());
        var frozen = await server.Http.GetFromJsonAsync<JsonElement>("/api/services?kind=frozen", DispatchServer.Json);
        Assert.Equal(300, Assert.Single(frozen.EnumerateArray()).GetProperty("pricing").GetProperty("coldChainCents").GetInt32());
        Assert.Empty((await server.Http.GetFromJsonAsync<JsonElement>("/api/services?zone=atlantis", DispatchServer.Json)).EnumerateArray());
        var bad = await server.Http.GetAsync("/api/services?kind=rocket");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ProblemAsync()).GetProperty("errors").TryGetProperty("kind", out _));
    }

    [Fact]
    public async Task A_quote_prices_the_trip_with_its_breakdown_and_is_stored()
    {
        server.RequireServices();
        var token = await server.CustomerTokenAsync("+33 6 22 00 00 01");
        var quote = await server.QuoteAsync(token);
        var lines = quote.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(quote.GetProperty("totalCents").GetInt32(), lines.Sum(l => l.GetProperty("amountCents").GetInt32()));
        Assert.Equal("EUR", quote.GetProperty("currency").GetString());
        Assert.Contains(lines, l => l.GetProperty("code").GetString() == "base" && l.GetProperty("amountCents").GetInt32() == 400);
        // This test database has no road network: straight line × the detour factor (1.4).
        Assert.False(quote.GetProperty("byRoad").GetBoolean());
        var straight = GeoMath.DistanceMetres(new(DispatchServer.CasinoLat, DispatchServer.CasinoLon), new(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon));
        Assert.Equal(straight * 1.4, quote.GetProperty("metres").GetDouble(), 0);
        Assert.True(quote.GetProperty("etaMinutes").GetInt32() >= 12);
        Assert.True(quote.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(9));
        Assert.Equal(quote.GetProperty("totalCents").GetInt32(), await server.ScalarAsync("select total_cents from quotes where id = $1", quote.GetProperty("id").GetGuid()));

        var stops = await server.QuoteAsync(token, CustomerApp.Trip("multi-stop", [new { lat = 43.7350, lon = 7.4200, address = "Pharmacy", action = "pickup" }]));
        Assert.Contains(stops.GetProperty("lines").EnumerateArray(), l => l.GetProperty("code").GetString() == "stops" && l.GetProperty("amountCents").GetInt32() == 150);

        var noStops = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/quotes", CustomerApp.Trip("multi-stop"));
        Assert.Equal(HttpStatusCode.BadRequest, noStops.StatusCode);
        Assert.True((await noStops.ProblemAsync()).GetProperty("errors").TryGetProperty("stops", out _));
        var outside = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/quotes", new { serviceId = "parcel", pickup = new { lat = 48.85, lon = 2.35 }, dropoff = new { lat = 43.73, lon = 7.42 } });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.PostAsJsonAsync("/api/quotes", CustomerApp.Trip(), DispatchServer.Json)).StatusCode);
    }

    [Fact]
    public async Task A_customer_orders_from_a_quote_and_the_order_waits_for_payment()
    {
        server.RequireServices();
        var token = await server.CustomerTokenAsync("+33 6 22 00 00 02");
        var order = await server.PlaceParcelAsync(token);
        Assert.Equal("placed", order.GetProperty("status").GetString());
        Assert.StartsWith("/track/", order.GetProperty("trackingUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, order.GetProperty("pin").GetString()!.Length);
        var id = order.GetProperty("id").GetGuid();
        var quoteId = order.GetProperty("quote").GetProperty("id").GetGuid();
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and merchant_id = 'customers' and quote_id = $2 and customer_id is not null", id, quoteId));

        // The tracking page opens with the link the customer got.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(order.GetProperty("trackingUrl").GetString())).StatusCode);

        // Placing the same quote again answers the same order; nothing new is made.
        var again = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/orders", new { quoteId, contactName = "Claire", items = Keys });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("id").GetGuid());
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where quote_id = $1", quoteId));

        // The order carries its quote's price: a payment of another amount is refused; the quoted one moves it on.
        var total = order.GetProperty("quote").GetProperty("totalCents").GetInt32();
        var currency = order.GetProperty("quote").GetProperty("currency").GetString()!;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.PayAsync(id, (total + 100) / 100m, currency)).StatusCode);
        Assert.True((await server.PayAsync(id, total / 100m, currency)).IsSuccessStatusCode);
        var paid = await server.AsCustomerAsync(token, HttpMethod.Get, $"/api/customers/me/orders/{id}");
        Assert.NotEqual("placed", (await paid.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_expired_quote_or_an_order_that_differs_from_it_is_refused()
    {
        server.RequireServices();
        var token = await server.CustomerTokenAsync("+33 6 22 00 00 03");
        var quote = await server.QuoteAsync(token);
        var quoteId = quote.GetProperty("id").GetGuid();

        var elsewhere = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/orders",
            new { quoteId, dropoff = new { lat = 43.7350, lon = 7.4200 } });
        Assert.Equal(HttpStatusCode.Conflict, elsewhere.StatusCode);
        Assert.Equal("Order differs from the quote", (await elsewhere.ProblemAsync()).Title());

        var buyForMe = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/orders",
            new { quoteId, buyForMe = new { priceCapCents = 2000, shoppingList = "aspirin" } });
        Assert.Equal(HttpStatusCode.BadRequest, buyForMe.StatusCode);

        await server.ScalarAsync("update quotes set expires_at = now() - interval '1 second' where id = $1", quoteId);
        var expired = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/orders", new { quoteId });
        Assert.Equal(HttpStatusCode.Conflict, expired.StatusCode);
        Assert.Equal("Quote expired", (await expired.ProblemAsync()).Title());
        Assert.Equal(0, await server.ScalarAsync("select count(*) from orders where quote_id = $1", quoteId));
    }

    [Fact]
    public async Task One_customer_never_sees_rates_or_orders_from_another_customers_orders_quotes_or_addresses()
    {
        server.RequireServices();
        var alice = await server.CustomerTokenAsync("+33 6 22 00 00 04");
        var bob = await server.CustomerTokenAsync("+33 6 22 00 00 05");
        var order = await server.PlaceParcelAsync(alice);
        var id = order.GetProperty("id").GetGuid();
        await server.ScalarAsync("update orders set status = $2, version = version + 1 where id = $1", id, (int)OrderStatus.Delivered);

        var seen = await server.AsCustomerAsync(bob, HttpMethod.Get, $"/api/customers/me/orders/{id}");
        Assert.Equal(HttpStatusCode.NotFound, seen.StatusCode);
        var missing = await server.AsCustomerAsync(bob, HttpMethod.Get, $"/api/customers/me/orders/{Guid.NewGuid()}");
        Assert.Equal((await missing.ProblemAsync()).Title(), (await seen.ProblemAsync()).Title()); // same answer as an order that does not exist
        Assert.Equal(HttpStatusCode.NotFound, (await server.AsCustomerAsync(bob, HttpMethod.Post, $"/api/customers/me/orders/{id}/rating", new { stars = 1 })).StatusCode);
        var bobsList = await (await server.AsCustomerAsync(bob, HttpMethod.Get, "/api/customers/me/orders")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Empty(bobsList.GetProperty("orders").EnumerateArray());
        var stolenQuote = await server.AsCustomerAsync(bob, HttpMethod.Post, "/api/customers/me/orders", new { quoteId = order.GetProperty("quote").GetProperty("id").GetGuid() });
        Assert.Equal(HttpStatusCode.NotFound, stolenQuote.StatusCode);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from orders where rating_stars is not null and id = $1", id));

        var rated = await server.AsCustomerAsync(alice, HttpMethod.Post, $"/api/customers/me/orders/{id}/rating", new { stars = 5, comment = "quick" });
        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        Assert.Equal(5, await server.ScalarAsync("select rating_stars from orders where id = $1", id));

        var home = await server.AsCustomerAsync(alice, HttpMethod.Post, "/api/customers/me/addresses", new { label = "Home", address = "Rue Grimaldi 1", lat = 43.7325, lon = 7.4186 });
        Assert.Equal(HttpStatusCode.Created, home.StatusCode);
        var homeId = (await home.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await server.AsCustomerAsync(bob, HttpMethod.Delete, $"/api/customers/me/addresses/{homeId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.AsCustomerAsync(bob, HttpMethod.Put, $"/api/customers/me/addresses/{homeId}", new { label = "Mine", address = "x", lat = 43.7325, lon = 7.4186 })).StatusCode);
        Assert.Empty((await (await server.AsCustomerAsync(bob, HttpMethod.Get, "/api/customers/me/addresses")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).EnumerateArray());
        Assert.Equal(1, await server.ScalarAsync("select count(*) from customer_addresses where id = $1 and label = 'Home'", homeId));
    }

    [Fact]
    public async Task The_order_list_pages_newest_first()
    {
        server.RequireServices();
        var token = await server.CustomerTokenAsync("+33 6 22 00 00 06");
        var placed = new List<string>();
        for (var i = 0; i < 3; i++) placed.Add((await server.PlaceParcelAsync(token)).GetProperty("number").GetString()!);

        var first = await (await server.AsCustomerAsync(token, HttpMethod.Get, "/api/customers/me/orders?limit=2")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal([placed[2], placed[1]], first.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("number").GetString()));
        Assert.Equal("parcel", first.GetProperty("orders")[0].GetProperty("serviceId").GetString());
        var before = first.GetProperty("nextBefore").GetInt64();
        var second = await (await server.AsCustomerAsync(token, HttpMethod.Get, $"/api/customers/me/orders?limit=2&before={before}")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal([placed[0]], second.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("number").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextBefore").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.AsCustomerAsync(token, HttpMethod.Get, "/api/customers/me/orders?limit=500")).StatusCode);
    }

    [Fact]
    public async Task Saved_addresses_are_added_changed_and_deleted_and_bad_ones_refused()
    {
        server.RequireServices();
        var token = await server.CustomerTokenAsync("+33 6 22 00 00 07");
        var added = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/addresses", new { label = "Office", address = "Boulevard Albert 1er", lat = 43.7340, lon = 7.4210 });
        var id = (await added.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("id").GetGuid();
        var changed = await server.AsCustomerAsync(token, HttpMethod.Put, $"/api/customers/me/addresses/{id}", new { label = "Work", address = "Boulevard Albert 1er 2", lat = 43.7341, lon = 7.4211 });
        Assert.Equal("Work", (await changed.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("label").GetString());
        var outside = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/addresses", new { label = "Paris", address = "Rue de Rivoli", lat = 48.85, lon = 2.35 });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.True((await outside.ProblemAsync()).GetProperty("errors").TryGetProperty("lat", out _));
        var noLabel = await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/addresses", new { address = "Somewhere", lat = 43.7340, lon = 7.4210 });
        Assert.True((await noLabel.ProblemAsync()).GetProperty("errors").TryGetProperty("label", out _));
        Assert.Equal(HttpStatusCode.NoContent, (await server.AsCustomerAsync(token, HttpMethod.Delete, $"/api/customers/me/addresses/{id}")).StatusCode);
        Assert.Empty((await (await server.AsCustomerAsync(token, HttpMethod.Get, "/api/customers/me/addresses")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).EnumerateArray());
    }
}
