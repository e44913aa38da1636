using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// The admin lists accounts and merchant organisations (searched, keyset-paged by name) and suspends or reinstates an
/// account by its id; other roles are refused and bad paging is named.
/// </summary>
public sealed class AccountListingTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly string[] MonacoOnly = ["monaco"];

    [Fact]
    public async Task Accounts_are_searched_and_paged_by_name_and_suspended_and_reinstated_by_id()
    {
        server.RequireServices();
        string[] names = ["lst.anna", "lst.bert", "lst.cleo", "lst.dora", "lst.emil"];
        foreach (var name in names) await server.CreateAsync(name, "dispatcher", new { zones = MonacoOnly });
        await server.CreateAsync("other.person", "admin");

        var seen = new List<JsonElement>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await GetAsync($"/api/admin/accounts?q=LST.&limit=2{(after is null ? "" : "&after=" + Uri.EscapeDataString(after))}");
            seen.AddRange(page.GetProperty("items").EnumerateArray());
            after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null && pages < 10);
        Assert.Equal(names, seen.Select(a => a.GetProperty("username").GetString()));
        Assert.Equal(3, pages);
        Assert.All(seen, a => Assert.Equal("dispatcher", a.GetProperty("role").GetString()));
        Assert.Equal(["monaco"], seen[0].GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        var admins = await GetAsync("/api/admin/accounts?role=admin&q=other");
        Assert.Equal("other.person", Assert.Single(admins.GetProperty("items").EnumerateArray()).GetProperty("username").GetString());

        var cleo = seen[2].GetProperty("id").GetGuid();
        var suspended = await server.CallAsync(HttpMethod.Post, $"/api/admin/accounts/by-id/{cleo}/suspend", "admin", new { });
        Assert.True(suspended.StatusCode == HttpStatusCode.OK, await suspended.Content.ReadAsStringAsync());
        Assert.False((await server.SignInAsync("lst.cleo")).IsSuccessStatusCode);
        var listed = Assert.Single((await GetAsync("/api/admin/accounts?q=lst.cleo")).GetProperty("items").EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("suspendedAt").ValueKind);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from audit_log where target = 'account:lst.cleo' and action = 'account.suspend'"));
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/admin/accounts/by-id/{cleo}/reinstate", "admin", new { })).StatusCode);
        Assert.True((await server.SignInAsync("lst.cleo")).IsSuccessStatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await server.CallAsync(HttpMethod.Post, $"/api/admin/accounts/by-id/{Guid.NewGuid()}/suspend", "admin", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.CallAsync(HttpMethod.Get, "/api/admin/accounts", "dispatcher")).StatusCode);
        var badLimit = await server.CallAsync(HttpMethod.Get, "/api/admin/accounts?limit=0", "admin");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.True((await badLimit.ProblemAsync()).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task Organisations_come_from_merchant_users_and_keys_with_their_counts()
    {
        server.RequireServices();
        await server.CreateAsync("org.one.a", "merchant", new { organisation = "orglist-one" });
        await server.CreateAsync("org.one.b", "merchant", new { organisation = "orglist-one" });
        await server.CreateAsync("org.two.a", "merchant", new { organisation = "orglist-two" });
        Assert.True((await server.CallAsync(HttpMethod.Post, "/api/merchant/keys", "admin", new { organisation = "orglist-three", name = "till" })).IsSuccessStatusCode);

        var first = await GetAsync("/api/admin/organisations?q=orglist&limit=2");
        var items = first.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["orglist-one", "orglist-three"], items.Select(o => o.GetProperty("organisation").GetString()));
        Assert.Equal((2, 0), (items[0].GetProperty("users").GetInt32(), items[0].GetProperty("activeKeys").GetInt32()));
        Assert.Equal((0, 1), (items[1].GetProperty("users").GetInt32(), items[1].GetProperty("activeKeys").GetInt32()));
        var second = await GetAsync($"/api/admin/organisations?q=orglist&limit=2&after={first.GetProperty("next").GetString()}");
        Assert.Equal("orglist-two", Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("organisation").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await server.CallAsync(HttpMethod.Get, path, "admin");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
    }
}
