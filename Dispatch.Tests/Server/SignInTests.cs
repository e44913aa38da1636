using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Accounts sign in with a password for a short-lived access token (the JWT every API and hub accepts) and a rotating refresh token.</summary>
public sealed class SignInTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly string[] Monaco = ["monaco"], Atlantis = ["atlantis"];

    [Fact]
    public async Task A_merchant_user_signs_in_and_creates_an_order_as_its_organisation()
    {
        server.RequireServices();
        await server.CreateAsync("ana.shop7", "merchant", new { organisation = "shop-7", displayName = "Ana" });
        var session = await server.SessionAsync("ana.shop7");
        var access = session.GetProperty("accessToken").GetString()!;
        var jwt = Accounts.Jwt(access);
        Assert.Equal("shop-7", jwt.Subject);
        Assert.Equal("merchant", jwt.Claims.Single(c => c.Type == "role").Value);
        Assert.Equal("Ana", jwt.Claims.Single(c => c.Type == "name").Value);
        Assert.Contains(jwt.Claims, c => c.Type == "uid");
        Assert.InRange(jwt.ValidTo - DateTime.UtcNow, TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(11)); // minutes, not hours

        var response = await server.PostOrderAsync(DispatchServer.OrderBody(), Guid.NewGuid().ToString(), access);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = (await response.Content.ReadFromJsonAsync<Dispatch.Server.Orders.OrderView>(DispatchServer.Json))!;
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and merchant_id = 'shop-7'", order.Id));
    }

    [Fact]
    public async Task A_dispatcher_token_carries_the_zones_and_a_courier_account_goes_online_on_the_hub()
    {
        server.RequireServices();
        await server.CreateAsync("dina", "dispatcher", new { zones = Monaco });
        var dispatcher = Accounts.Jwt((await server.SessionAsync("dina")).GetProperty("accessToken").GetString()!);
        Assert.Equal("dina", dispatcher.Subject);
        Assert.Equal(Monaco, dispatcher.Claims.Where(c => c.Type == "zones").Select(c => c.Value));

        var member = (await server.FleetAsync("signin", 1))[0];
        await server.CreateAsync("carlo", "courier", new { courierId = member.CourierId });
        var session = await server.SessionAsync("carlo");
        Assert.Equal(member.CourierId.ToString(), Accounts.Jwt(session.GetProperty("accessToken").GetString()!).Subject);
        await using var courier = await server.ConnectCourierAsync(member with { Token = session.GetProperty("accessToken").GetString()! });
        await courier.GoOnlineAsync();
    }

    [Fact]
    public async Task A_wrong_password_gets_the_same_answer_as_an_unknown_user()
    {
        server.RequireServices();
        await server.CreateAsync("wanda", "dispatcher");
        var wrong = await server.SignInAsync("wanda", "not her password");
        var unknown = await server.SignInAsync("nobody-here", "not her password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var (a, b) = (await wrong.ProblemAsync(), await unknown.ProblemAsync());
        Assert.Equal("Wrong username or password", a.Title());
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_and_say_until_when()
    {
        server.RequireServices();
        await server.CreateAsync("lola", "merchant", new { organisation = "shop-lola" });
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await server.SignInAsync("lola", "guess " + i)).StatusCode);
        var fifth = await server.SignInAsync("lola", "guess 5");
        Assert.Equal(HttpStatusCode.Forbidden, fifth.StatusCode);

        var right = await server.SignInAsync("lola"); // even the right password, while locked
        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
        var problem = await right.ProblemAsync();
        Assert.Equal("Account locked", problem.Title());
        Assert.Matches(@"locked until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Refresh_rotates_and_a_spent_refresh_token_used_again_revokes_the_whole_session()
    {
        server.RequireServices();
        await server.CreateAsync("rita", "admin");
        var first = (await server.SessionAsync("rita")).GetProperty("refreshToken").GetString()!;

        var rotated = await server.RefreshAsync(first);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var body = await rotated.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(DispatchServer.Json);
        var second = body.GetProperty("refreshToken").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Equal("admin", Accounts.Jwt(body.GetProperty("accessToken").GetString()!).Claims.Single(c => c.Type == "role").Value);

        var reused = await server.RefreshAsync(first);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Equal("Refresh token already used", (await reused.ProblemAsync()).Title());
        // The thief's successor is dead too: the family is revoked.
        var successor = await server.RefreshAsync(second);
        Assert.Equal(HttpStatusCode.Unauthorized, successor.StatusCode);
        Assert.Equal("Refresh token revoked", (await successor.ProblemAsync()).Title());
        Assert.Equal(0, await server.ScalarAsync("select count(*) from refresh_tokens t join accounts a on a.id = t.user_id where a.user_name = 'rita' and t.revoked_at is null"));
    }

    [Fact]
    public async Task Sign_out_revokes_the_refresh_token()
    {
        server.RequireServices();
        await server.CreateAsync("otto", "dispatcher");
        var refresh = (await server.SessionAsync("otto")).GetProperty("refreshToken").GetString()!;
        var signOut = await server.Http.PostAsJsonAsync("/api/auth/sign-out", new { refreshToken = refresh }, DispatchServer.Json);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        var after = await server.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("Refresh token revoked", (await after.ProblemAsync()).Title());
    }

    [Fact]
    public async Task A_suspended_accounts_unexpired_token_opens_no_hub_connection_and_a_suspended_courier_account_is_taken_offline()
    {
        server.RequireServices();
        await server.CreateAsync("dora", "dispatcher", new { zones = Monaco });
        var dispatcher = (await server.SessionAsync("dora")).GetProperty("accessToken").GetString()!;
        var id = await server.RegisterCourierAsync("cora");
        await server.ApproveAsync(id, Dispatch.Core.Couriers.Equipment.None, capacity: 1);
        await using var courier = await server.ConnectAsAsync("cora", id);
        await courier.GoOnlineAsync(Dispatch.Core.Couriers.Equipment.None);
        var courierToken = (await server.SessionAsync("cora")).GetProperty("accessToken").GetString()!;
        await (await BoardAsync(dispatcher)).DisposeAsync(); // the token opens a board before the suspension

        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/dora/suspend", "admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/cora/suspend", "admin")).StatusCode);

        // The courier's open connection is told and closed; neither token, minutes from expiry, connects again.
        Assert.Contains("suspended", (await courier.Ended.NextAsync(what: "the session-ended message")).Reason, StringComparison.Ordinal);
        await courier.Closed.NextAsync(what: "the server closing the courier's connection");
        var board = await Assert.ThrowsAsync<HttpRequestException>(() => BoardAsync(dispatcher));
        Assert.Equal(HttpStatusCode.Unauthorized, board.StatusCode);
        var again = await Assert.ThrowsAsync<HttpRequestException>(() => server.ConnectCourierAsync(new DispatchServer.FleetMember(id, "cora", courierToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/dora/reinstate", "admin")).StatusCode);
        await (await BoardAsync(dispatcher)).DisposeAsync();
    }

    private async Task<HubConnection> BoardAsync(string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseUrl, Dispatch.Core.Contracts.HubPaths.ControlRoom), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        try
        {
            await connection.StartAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task A_suspended_accounts_unexpired_token_is_refused_by_the_APIs_of_every_node_until_reinstated()
    {
        server.RequireServices();
        await using var other = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server, new Dictionary<string, string?> { ["Accounts:SuspensionRefreshSeconds"] = "1" }));
        await server.CreateAsync("suki", "merchant", new { organisation = "shop-suki" });
        var token = (await server.SessionAsync("suki")).GetProperty("accessToken").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await WebhooksAsync(server.Http, token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WebhooksAsync(other.Http, token)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/suki/suspend", "admin")).StatusCode);
        // At once on the node that suspended it, with the reason; within the refresh interval on the other node.
        using (var refused = await WebhooksAsync(server.Http, token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            var problem = await refused.ProblemAsync();
            Assert.Equal("Account suspended", problem.Title());
            Assert.Contains("suspended by an admin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        await Eventually.WaitForAsync(async () => (await WebhooksAsync(other.Http, token)).StatusCode, s => s == HttpStatusCode.Unauthorized,
            "the other node refusing the suspended account's token", TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/suki/reinstate", "admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WebhooksAsync(server.Http, token)).StatusCode);
        await Eventually.WaitForAsync(async () => (await WebhooksAsync(other.Http, token)).StatusCode, s => s == HttpStatusCode.OK,
            "the other node accepting the reinstated account's token", TimeSpan.FromSeconds(15));
    }

    private static Task<HttpResponseMessage> WebhooksAsync(HttpClient http, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/webhooks");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    [Fact]
    public async Task A_suspended_user_cannot_refresh_or_sign_in_until_reinstated()
    {
        server.RequireServices();
        await server.CreateAsync("sam", "merchant", new { organisation = "shop-sam" });
        var refresh = (await server.SessionAsync("sam")).GetProperty("refreshToken").GetString()!;

        var suspend = await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/sam/suspend", "admin");
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        var refused = await server.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Refresh token revoked", (await refused.ProblemAsync()).Title());
        var signIn = await server.SignInAsync("sam");
        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Equal("Account suspended", (await signIn.ProblemAsync()).Title());

        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, "/api/admin/accounts/sam/reinstate", "admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.SignInAsync("sam")).StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_manages_accounts_and_bad_input_names_the_field()
    {
        server.RequireServices();
        var byDispatcher = await server.CallAsync(HttpMethod.Post, "/api/admin/accounts", "dispatcher", new { username = "eve", role = "admin" });
        Assert.Equal(HttpStatusCode.Forbidden, byDispatcher.StatusCode);
        var noOrganisation = await server.CallAsync(HttpMethod.Post, "/api/admin/accounts", "admin", new { username = "mo", role = "merchant" });
        Assert.Equal(HttpStatusCode.BadRequest, noOrganisation.StatusCode);
        Assert.True((await noOrganisation.ProblemAsync()).GetProperty("errors").TryGetProperty("organisation", out _));
        var shortPassword = await server.CallAsync(HttpMethod.Post, "/api/admin/accounts", "admin", new { username = "mo", role = "admin", password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);
        Assert.True((await shortPassword.ProblemAsync()).GetProperty("errors").TryGetProperty("password", out _));
        var unknownZone = await server.CallAsync(HttpMethod.Post, "/api/admin/accounts", "admin", new { username = "mo", role = "dispatcher", zones = Atlantis });
        Assert.Equal(HttpStatusCode.BadRequest, unknownZone.StatusCode);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from accounts where user_name = 'mo'"));
    }
}
