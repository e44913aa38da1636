using System.IdentityModel.Tokens.Jwt;
using System.Net.Http.Json;
using System.Text.Json;

namespace Dispatch.Tests.Infrastructure;

/// <summary>Accounts made through the admin API (a development admin token) and sessions opened through /api/auth.</summary>
public static class Accounts
{
    public const string Password = "correct horse battery";

    /// <summary>Creates (or resets) an account with <see cref="Password"/>.</summary>
    public static async Task CreateAsync(this DispatchServer server, string username, string role, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["username"] = username, ["role"] = role, ["password"] = Password };
        if (extra is not null)
        {
            foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
        }
        var response = await server.CallAsync(HttpMethod.Post, "/api/admin/accounts", "admin", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Task<HttpResponseMessage> SignInAsync(this DispatchServer server, string username, string password = Password) =>
        server.Http.PostAsJsonAsync("/api/auth/sign-in", new { username, password }, DispatchServer.Json);

    /// <summary>Signs in and returns the answer's JSON (accessToken, refreshToken, …); fails the test when refused.</summary>
    public static async Task<JsonElement> SessionAsync(this DispatchServer server, string username, string password = Password)
    {
        var response = await server.SignInAsync(username, password);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
    }

    public static Task<HttpResponseMessage> RefreshAsync(this DispatchServer server, string refreshToken) =>
        server.Http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken }, DispatchServer.Json);

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);

    public static string Title(this JsonElement problem) => problem.GetProperty("title").GetString()!;

    public static JwtSecurityToken Jwt(string token) => new JwtSecurityTokenHandler().ReadJwtToken(token);
}
