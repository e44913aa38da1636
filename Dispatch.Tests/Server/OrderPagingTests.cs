using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Server.OrderLists;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// Keyset-paged order lists (the board's search and a merchant's own list): every row once while orders keep arriving,
/// the filters, the batch lookup of up to 500 numbers, and merchants kept to their own orders.
/// </summary>
public sealed class OrderPagingTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private sealed record Page(OrderSearchHit[] Hits, string? Next, string? Link);

    private async Task<Page> GetPageAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await server.Http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var hits = (await response.Content.ReadFromJsonAsync<OrderSearchHit[]>(DispatchServer.Json))!;
        var next = response.Headers.TryGetValues(OrderPage.NextCursorHeader, out var n) ? n.Single() : null;
        var link = response.Headers.TryGetValues("Link", out var l) ? l.Single() : null;
        return new Page(hits, next, link);
    }

    /// <summary>Every page of a list, following Next-Cursor; stops with a failure past <paramref name="maxPages"/>.</summary>
    private async Task<List<OrderSearchHit>> AllPagesAsync(string path, string token, int maxPages = 100, Func<Task>? betweenPages = null)
    {
        var all = new List<OrderSearchHit>();
        string? cursor = null;
        for (var i = 0; i < maxPages; i++)
        {
            var page = await GetPageAsync(cursor is null ? path : $"{path}&cursor={cursor}", token);
            all.AddRange(page.Hits);
            if (page.Next is null) return all;
            Assert.Contains($"cursor={page.Next}", page.Link, StringComparison.Ordinal);
            cursor = page.Next;
            if (betweenPages is not null) await betweenPages();
        }
        Assert.Fail($"{path}: more than {maxPages} pages");
        return all;
    }

    private static string Since(DateTimeOffset at) => Uri.EscapeDataString(at.AddSeconds(-1).ToString("O"));

    [Fact]
    public async Task Paging_the_search_while_orders_arrive_returns_every_earlier_order_exactly_once()
    {
        server.RequireServices();
        var start = DateTimeOffset.UtcNow;
        var before = new List<OrderView>();
        for (var i = 0; i < 40; i++) before.Add(await server.CreateOrderAsync(merchant: "shop-paging"));
        var token = await server.TokenAsync("dispatcher", "d-paging");

        // New orders arrive between pages: at the head of a newest-first list, where an offset would shift every page.
        var arrived = new ConcurrentBag<Guid>();
        var seen = await AllPagesAsync($"/api/orders/search?from={Since(start)}&limit=7", token, betweenPages: async () =>
        {
            var made = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => server.CreateOrderAsync(merchant: "shop-paging")));
            foreach (var m in made) arrived.Add(m.Id);
        });

        Assert.Equal(seen.Count, seen.Select(h => h.Id).Distinct().Count()); // no order twice
        Assert.Subset(seen.Select(h => h.Id).ToHashSet(), before.Select(o => o.Id).ToHashSet()); // every earlier one
        Assert.True(arrived.Count >= 15, $"orders kept arriving while paging ({arrived.Count})");
        var times = seen.Select(h => h.CreatedAt).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times); // newest first across pages
    }

    [Fact]
    public async Task Filters_by_status_kind_courier_and_date_hold_on_every_page()
    {
        server.RequireServices();
        var start = DateTimeOffset.UtcNow;
        var frozen = new List<OrderView>();
        for (var i = 0; i < 5; i++) frozen.Add(await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "frozen"), merchant: "shop-filters"));
        for (var i = 0; i < 6; i++) await server.CreateOrderAsync(DispatchServer.OrderBody(kind: "errand"), merchant: "shop-filters");
        await using var courier = await server.OnlineCourierAtAsync("paging-courier", DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var carried = frozen[2];
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(carried.Id)).StatusCode);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == carried.Id, what: "offer")).OfferId);
        var token = await server.TokenAsync("dispatcher", "d-filters");
        var since = $"from={Since(start)}";

        var frozenHits = await AllPagesAsync($"/api/orders/search?{since}&kind=frozen&zone=monaco&limit=2", token);
        Assert.Equal(frozen.Select(o => o.Id).Reverse(), frozenHits.Select(h => h.Id));
        var placed = await AllPagesAsync($"/api/orders/search?{since}&kind=frozen&status=placed&limit=2", token);
        Assert.Equal(frozen.Where(o => o.Id != carried.Id).Select(o => o.Id).Reverse(), placed.Select(h => h.Id));
        var byCourier = await AllPagesAsync($"/api/orders/search?courier={courier.Id}&limit=2", token);
        Assert.Equal([carried.Id], byCourier.Select(h => h.Id));
        Assert.Equal(OrderStatus.Accepted, byCourier[0].Status);
        Assert.Empty(await AllPagesAsync($"/api/orders/search?{since}&zone=elsewhere", token));
        Assert.Empty(await AllPagesAsync($"/api/orders/search?from={Uri.EscapeDataString(start.AddDays(-3).ToString("O"))}&to={Uri.EscapeDataString(start.AddDays(-2).ToString("O"))}", token));
    }

    [Theory]
    [InlineData("status=placed&cursor=not-a-cursor", "cursor")]
    [InlineData("status=placed&kind=pizza", "kind")]
    [InlineData("courier=42", "courier")]
    [InlineData("status=placed&limit=201", "limit")]
    public async Task Bad_paging_parameters_are_refused_naming_the_field(string query, string field)
    {
        server.RequireServices();
        var response = await server.CallAsync(HttpMethod.Get, $"/api/orders/search?{query}", "dispatcher");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: expected an error on {field}, got {problem}");
    }

    [Fact]
    public async Task A_merchant_pages_through_its_own_orders_and_never_sees_another_merchants()
    {
        server.RequireServices();
        var mine = new List<OrderView>();
        for (var i = 0; i < 9; i++) mine.Add(await server.CreateOrderAsync(merchant: "shop-mine"));
        var theirs = await server.CreateOrderAsync(merchant: "shop-theirs");
        var token = await server.MerchantTokenAsync("shop-mine");

        var listed = await AllPagesAsync("/api/orders?limit=4", token);
        Assert.Equal(mine.Select(o => o.Id).Reverse(), listed.Select(h => h.Id));
        Assert.All(listed, h => Assert.Null(h.CourierId));

        var lookup = await LookupAsync(token, [mine[0].Number, theirs.Number, "D-999999"]);
        Assert.Equal([mine[0].Id], lookup.Orders.Select(o => o.Id));
        Assert.Equal([theirs.Number, "D-999999"], lookup.Missing); // another merchant's order is not confirmed to exist

        var refused = await GetAsync("/api/orders?courier=" + Guid.NewGuid(), token);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Batch_lookup_answers_500_numbers_in_one_call_and_refuses_501_clearly()
    {
        server.RequireServices();
        var made = new List<OrderView>();
        for (var i = 0; i < 3; i++) made.Add(await server.CreateOrderAsync(merchant: "shop-lookup"));
        var token = await server.TokenAsync("dispatcher", "d-lookup");
        // The three orders among 497 numbers no order has, in the order asked; "42"-style numbers are accepted too.
        var numbers = Enumerable.Range(0, 497).Select(i => $"D-{900_000 + i}").ToList();
        numbers.Insert(10, made[2].Number);
        numbers.Insert(200, made[0].Number);
        numbers.Add(made[1].Number.TrimStart('D', '-').TrimStart('0'));
        Assert.Equal(500, numbers.Count);
        var found = await LookupAsync(token, numbers);
        Assert.Equal([made[2].Id, made[0].Id, made[1].Id], found.Orders.Select(o => o.Id));
        Assert.Equal(497, found.Missing.Length);

        numbers.Add("D-000001");
        var response = await PostLookupAsync(token, numbers);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("At most 500", problem.GetProperty("errors").GetProperty("numbers")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("501", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var bad = await PostLookupAsync(token, ["D-000001", "pizza"]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("numbers[1]", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await server.Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostLookupAsync(string token, IEnumerable<string> numbers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders/lookup") { Content = JsonContent.Create(new { numbers }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await server.Http.SendAsync(request);
    }

    private async Task<OrderLookupResult> LookupAsync(string token, IEnumerable<string> numbers)
    {
        var response = await PostLookupAsync(token, numbers);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"lookup: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<OrderLookupResult>(DispatchServer.Json))!;
    }
}
