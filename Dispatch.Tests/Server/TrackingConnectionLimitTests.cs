using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Server;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// The tracking hub is anonymous until a link subscribes, so the connections one address may start are limited: negotiate
/// and a WebSocket upgrade that skips it are refused alike (429 with Retry-After); connections already open go on.
/// </summary>
public sealed class TrackingConnectionLimitTests(TrackingConnectionLimitServer server) : IClassFixture<TrackingConnectionLimitServer>
{
    [Fact]
    public async Task An_address_that_started_too_many_tracking_connections_is_refused_and_its_open_one_keeps_working()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(merchant: "shop-track-limit");
        var refusedBefore = server.Services.GetRequiredService<DispatchMetrics>().Snapshot().RefusedByRateLimit;
        // Negotiate and the WebSocket upgrade: the address's two starts for this minute.
        await using var open = await server.ConnectTrackingAsync();

        using var negotiate = await server.Http.PostAsync($"{HubPaths.Tracking}/negotiate?negotiateVersion=1", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, negotiate.StatusCode);
        Assert.True(negotiate.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        var problem = await negotiate.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains("tracking-connections", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => server.ConnectTrackingAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // A client that skips negotiation and upgrades at once is refused too.
        await using var direct = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseUrl, HubPaths.Tracking), o => { o.SkipNegotiation = true; o.Transports = HttpTransportType.WebSockets; })
            .AddMessagePackProtocol().Build();
        await Assert.ThrowsAnyAsync<Exception>(() => direct.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HubConnectionState.Disconnected, direct.State);

        var snapshot = await open.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!, TestContext.Current.CancellationToken);
        Assert.Equal(order.Id, snapshot.OrderId);
        Assert.True(server.Services.GetRequiredService<DispatchMetrics>().Snapshot().RefusedByRateLimit >= refusedBefore + 3, "each refusal counted");
    }
}
