using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dispatch.Server.Common;
using Dispatch.Server.Health;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace Dispatch.Tests.Server;

/// <summary>
/// PostgreSQL crashes and comes back (a cluster of the test's own) under a running node: an API call in between is a 503
/// problem naming PostgreSQL with Retry-After, nothing of it is written, the node answers not-ready meanwhile and is ready
/// again afterwards without a restart, and the same call (same idempotency key) then succeeds once.
/// </summary>
public sealed class PostgresRestartTests
{
    [Fact]
    public async Task A_call_while_PostgreSQL_restarts_is_a_retryable_503_writes_nothing_and_the_node_is_ready_again()
    {
        if (ServiceSettings.Unavailable() is { } missing)
        {
            if (ServiceSettings.IsCi) throw new InvalidOperationException($"CI=true and {missing}");
            Assert.Skip(missing);
        }
        await using var pg = await ScratchPostgres.StartAsync();
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        await using var node = await ExtraNode.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = pg.ConnectionString,
            ["ConnectionStrings:Redis"] = ServiceSettings.Redis,
            ["Dispatch:RedisPrefix"] = prefix,
            ["Auth:SigningKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Auth:LinkSigningKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Payments:CallbackSecret"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Database:Migrate"] = "true",
            ["Logging:LogLevel:Default"] = "Critical",
        });
        await Eventually.WaitForAsync(() => node.Http.GetAsync(new Uri(HealthEndpoints.Ready, UriKind.Relative)), r => r.StatusCode == HttpStatusCode.OK, "ready on its own PostgreSQL", TimeSpan.FromSeconds(60));
        var token = await MerchantTokenAsync(node.Http);
        Assert.Equal(HttpStatusCode.Created, (await PostOrderAsync(node.Http, token, Guid.NewGuid().ToString())).StatusCode);

        await pg.CrashAsync();
        var key = Guid.NewGuid().ToString();
        using var refused = await PostOrderAsync(node.Http, token, key);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(DependencyDown.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(DependencyDown.Postgres, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dependency").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await node.Http.GetAsync(new Uri(HealthEndpoints.Ready, UriKind.Relative))).StatusCode);

        await pg.StartAgainAsync();
        await Eventually.WaitForAsync(() => node.Http.GetAsync(new Uri(HealthEndpoints.Ready, UriKind.Relative)), r => r.StatusCode == HttpStatusCode.OK, "ready again after the restart", TimeSpan.FromSeconds(40));
        // The node's readiness can come from a pooled connection a moment before a new one is served: wait for the test's own.
        await Eventually.WaitForAsync(() => AnswersAsync(pg), ok => ok, "PostgreSQL answering a new connection", TimeSpan.FromSeconds(40));
        Assert.Equal(1, await CountAsync(pg, "select count(*) from orders"));
        Assert.Equal(0, await CountAsync(pg, "select count(*) from order_events e where not exists (select 1 from orders o where o.id = e.order_id)"));

        // The refused call was never carried out, so the same key now creates the order (once).
        using var retried = await PostOrderAsync(node.Http, token, key);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(2, await CountAsync(pg, "select count(*) from orders"));
        await DeleteKeysAsync(node, prefix);
    }

    private static async Task DeleteKeysAsync(ExtraNode node, string prefix)
    {
        var mux = node.Services.GetRequiredService<IConnectionMultiplexer>();
        foreach (var server in mux.GetServers())
        {
            await foreach (var key in server.KeysAsync(pattern: $"{prefix}:*")) await mux.GetDatabase().KeyDeleteAsync(key);
        }
    }

    private static async Task<string> MerchantTokenAsync(HttpClient http)
    {
        var response = await http.PostAsJsonAsync("/dev/token", new { role = "merchant", subject = "shop-1" }, DispatchServer.Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> PostOrderAsync(HttpClient http, string token, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(DispatchServer.OrderBody(), options: DispatchServer.Json) };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static async Task<bool> AnswersAsync(ScratchPostgres pg)
    {
        try
        {
            return await CountAsync(pg, "select 1") == 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static async Task<long> CountAsync(ScratchPostgres pg, string sql)
    {
        await using var connection = new NpgsqlConnection(pg.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
