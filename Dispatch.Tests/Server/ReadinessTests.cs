using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Server.Common;
using Dispatch.Server.Health;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// A node started while PostgreSQL or Redis is down is live, answers not-ready naming what is missing, refuses commands with a
/// retryable 503 (or a HubException saying to retry) and writes nothing; once the dependency is back it is ready without a
/// restart and the same command works.
/// </summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_node_started_without_Redis_is_not_ready_refuses_Redis_commands_and_is_ready_once_Redis_is_back()
    {
        await using var gate = TcpGate.ToRedis();
        await using var server = new GatedServer(redis: gate);
        await server.InitializeAsync();
        server.RequireServices();

        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(new Uri(HealthEndpoints.Live, UriKind.Relative))).StatusCode);
        var notReady = await Eventually.WaitForAsync(() => ReadyAsync(server), r => Check(r.Body, "postgres") == "healthy", "PostgreSQL ready, Redis not");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
        Assert.Equal("unhealthy", Check(notReady.Body, "redis"));

        var refused = await server.CallAsync(HttpMethod.Put, "/api/zones/monaco/strategy", "admin", new { strategy = "broadcast", fanout = 3 });
        await AssertRetryableAsync(refused, DependencyDown.Redis);

        gate.Open();
        await Eventually.WaitForAsync(() => ReadyAsync(server), r => r.Status == HttpStatusCode.OK, "ready once Redis is back", Recovery);
        var unchanged = await (await server.CallAsync(HttpMethod.Get, "/api/zones/monaco/strategy", "dispatcher")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("configuration", unchanged.GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Put, "/api/zones/monaco/strategy", "admin", new { strategy = "broadcast", fanout = 3 })).StatusCode);
    }

    [Fact]
    public async Task A_node_started_without_PostgreSQL_is_not_ready_refuses_commands_and_is_ready_once_PostgreSQL_is_back()
    {
        await using var gate = TcpGate.ToPostgres();
        await using var server = new GatedServer(postgres: gate);
        await server.InitializeAsync();
        server.RequireServices();

        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(new Uri(HealthEndpoints.Live, UriKind.Relative))).StatusCode);
        var notReady = await ReadyAsync(server);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
        Assert.Equal("unhealthy", Check(notReady.Body, "postgres"));
        Assert.Contains("PostgreSQL", notReady.Body.GetProperty("checks").GetProperty("postgres").GetProperty("description").GetString(), StringComparison.Ordinal);

        var refused = await server.PostOrderAsync(DispatchServer.OrderBody(), Guid.NewGuid().ToString(), await server.MerchantTokenAsync());
        await AssertRetryableAsync(refused, DependencyDown.Postgres);
        var courierToken = await server.TokenAsync("courier", Guid.NewGuid().ToString());
        await using (var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseUrl, HubPaths.Courier), o => o.AccessTokenProvider = () => Task.FromResult<string?>(courierToken))
            .AddMessagePackProtocol().Build())
        {
            await hub.StartAsync(TestContext.Current.CancellationToken);
            var error = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<CourierSession>(nameof(ICourierHub.GoOnline),
                new GoOnlineRequest(Dispatch.Core.Couriers.Equipment.InsulatedBox, Dispatch.Core.Couriers.Vehicle.Scooter, 3), TestContext.Current.CancellationToken));
            Assert.Contains("PostgreSQL cannot be reached", error.Message, StringComparison.Ordinal);
            Assert.Contains("Retry", error.Message, StringComparison.Ordinal);
        }

        gate.Open();
        await Eventually.WaitForAsync(() => ReadyAsync(server), r => r.Status == HttpStatusCode.OK, "ready once PostgreSQL is back", Recovery);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from orders"));
        await server.CreateOrderAsync();
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders"));
    }

    private static async Task AssertRetryableAsync(HttpResponseMessage refused, string dependency)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(DependencyDown.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(dependency, problem.GetProperty("dependency").GetString());
        Assert.Contains($"{dependency} cannot be reached", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string? Check(JsonElement body, string name) =>
        body.GetProperty("checks").TryGetProperty(name, out var check) ? check.GetProperty("status").GetString() : null;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(DispatchServer server)
    {
        var response = await server.Http.GetAsync(new Uri(HealthEndpoints.Ready, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
