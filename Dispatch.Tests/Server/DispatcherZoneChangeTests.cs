using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// An admin changes a dispatcher's zones (PUT /api/admin/accounts/by-id/{id}/zones) without touching their password or
/// sessions: one account.zones audit row with the zones before and after, and the dispatcher's next refresh carries the
/// new zones, so they act on the new zone and no longer on the old one. Refused for a non-admin, an unknown zone and a
/// courier account, each leaving the zones and the audit log as they were.
/// </summary>
public sealed class DispatcherZoneChangeTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const string Nice = "POLYGON((7.25 43.69, 7.29 43.69, 7.29 43.71, 7.25 43.71, 7.25 43.69))";
    private static readonly string[] MonacoOnly = ["monaco"];
    private static readonly string[] NiceOnly = ["nice"];
    private static readonly string[] WithUnknown = ["monaco", "atlantis"];

    [Fact]
    public async Task Changed_zones_are_audited_once_and_apply_from_the_next_refresh_without_a_new_password()
    {
        server.RequireServices();
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Put, "/api/zones/nice", "admin", new { boundary = Nice })).StatusCode);
        await server.CreateAsync("zc.dina", "dispatcher", new { zones = MonacoOnly });
        var session = await server.SessionAsync("zc.dina");
        var first = session.GetProperty("accessToken").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(first, HttpMethod.Get, "/api/zones/monaco/strategy")).StatusCode);
        var id = await IdAsync("zc.dina");

        var changed = await server.CallAsync(HttpMethod.Put, $"/api/admin/accounts/by-id/{id}/zones", "admin", new { zones = NiceOnly });
        Assert.True(changed.StatusCode == HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        var view = await changed.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal(NiceOnly, view.GetProperty("zones").EnumerateArray().Select(z => z.GetString()));

        Assert.Equal(1, await server.ScalarAsync("select count(*) from audit_log where target = 'account:zc.dina' and action = 'account.zones'"));
        Assert.Equal(2, await server.ScalarAsync("select count(*) from audit_log where target = 'account:zc.dina'")); // create + zones
        Assert.Equal("[\"monaco\"]", await TextAsync("select (before -> 'zones')::text from audit_log where target = 'account:zc.dina' and action = 'account.zones'"));
        Assert.Equal("[\"nice\"]", await TextAsync("select (after -> 'zones')::text from audit_log where target = 'account:zc.dina' and action = 'account.zones'"));
        Assert.Equal("admin", await TextAsync("select role from audit_log where target = 'account:zc.dina' and action = 'account.zones'"));

        // The session was not revoked: its refresh token still works and carries the new zones, and the password is the same.
        var refreshed = await server.RefreshAsync(session.GetProperty("refreshToken").GetString()!);
        Assert.True(refreshed.IsSuccessStatusCode, await refreshed.Content.ReadAsStringAsync());
        var second = (await refreshed.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("accessToken").GetString()!;
        Assert.Equal(NiceOnly, Accounts.Jwt(second).Claims.Where(c => c.Type == "zones").Select(c => c.Value));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(second, HttpMethod.Get, "/api/zones/nice/strategy")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(second, HttpMethod.Get, "/api/zones/monaco/strategy")).StatusCode);
        Assert.True((await server.SignInAsync("zc.dina")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_non_admin_an_unknown_zone_and_a_courier_account_are_refused_and_change_nothing()
    {
        server.RequireServices();
        await server.CreateAsync("zc.emil", "dispatcher", new { zones = MonacoOnly });
        var id = await IdAsync("zc.emil");
        var path = $"/api/admin/accounts/by-id/{id}/zones";

        Assert.Equal(HttpStatusCode.Forbidden, (await server.CallAsync(HttpMethod.Put, path, "dispatcher", new { zones = NiceOnly })).StatusCode);
        var dispatcherToken = (await server.SessionAsync("zc.emil")).GetProperty("accessToken").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(dispatcherToken, HttpMethod.Put, path, new { zones = NiceOnly })).StatusCode);

        var unknown = await server.CallAsync(HttpMethod.Put, path, "admin", new { zones = WithUnknown });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = await unknown.ProblemAsync();
        Assert.Contains("'atlantis'", problem.GetProperty("errors").GetProperty("zones")[0].GetString(), StringComparison.Ordinal);

        var missing = await server.CallAsync(HttpMethod.Put, path, "admin", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.ProblemAsync()).GetProperty("errors").TryGetProperty("zones", out _));

        var courierId = await server.RegisterCourierAsync("zc.rita");
        var courier = await server.CallAsync(HttpMethod.Put, $"/api/admin/accounts/by-id/{await IdAsync("zc.rita")}/zones", "admin", new { zones = MonacoOnly });
        Assert.Equal(HttpStatusCode.Conflict, courier.StatusCode);
        Assert.Contains("only a dispatcher account has zones", (await courier.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await server.CallAsync(HttpMethod.Put, $"/api/admin/accounts/by-id/{Guid.NewGuid()}/zones", "admin", new { zones = MonacoOnly })).StatusCode);

        Assert.Equal(MonacoOnly, await ZonesAsync("zc.emil"));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from audit_log where action = 'account.zones' and target in ('account:zc.emil', 'account:zc.rita')"));
        Assert.Empty(await ZonesAsync("zc.rita"));
        Assert.NotEqual(Guid.Empty, courierId);
    }

    private async Task<Guid> IdAsync(string username)
    {
        var listed = await server.CallAsync(HttpMethod.Get, $"/api/admin/accounts?q={username}", "admin");
        var page = await listed.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        return page.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("username").GetString() == username).GetProperty("id").GetGuid();
    }

    private async Task<string[]> ZonesAsync(string username)
    {
        var listed = await server.CallAsync(HttpMethod.Get, $"/api/admin/accounts?q={username}", "admin");
        var page = await listed.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var account = page.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("username").GetString() == username);
        return [.. account.GetProperty("zones").EnumerateArray().Select(z => z.GetString()!)];
    }

    private async Task<string?> TextAsync(string sql)
    {
        await using var command = server.Db.CreateCommand(sql);
        return (string?)await command.ExecuteScalarAsync();
    }

    private async Task<HttpResponseMessage> SendAsync(string token, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body, options: DispatchServer.Json);
        return await server.Http.SendAsync(request);
    }
}
