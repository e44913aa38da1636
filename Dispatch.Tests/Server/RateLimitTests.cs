using System.Net;
using System.Net.Http.Json;
using Dispatch.Core.Contracts;
using Dispatch.Server;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Rate limits: a flooding client is refused with when to retry (429 with Retry-After, or a HubException), the refusal is
/// counted, and other clients go on as before.
/// </summary>
public sealed class RateLimitTests(RateLimitServer server) : IClassFixture<RateLimitServer>
{
    private const double Lat = 43.7380, Lon = 7.4250;

    [Fact]
    public async Task A_flooding_courier_connection_is_refused_and_another_courier_still_gets_through()
    {
        server.RequireServices();
        await using var flooder = await server.OnlineCourierAtAsync("rl-flood", Lat, Lon);
        await using var neighbour = await server.OnlineCourierAtAsync("rl-calm", Lat, Lon + 0.001);
        var refusedBefore = Refused();

        HubException? refusal = null;
        var accepted = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Batches of 100: the bucket holds five, and refills by FixesPerSecond while they go.
        for (var batch = 0; batch < 10 && refusal is null; batch++)
        {
            var fixes = Enumerable.Range(1, 100).Select(i => flooder.Fix(Lat + (batch * 100 + i) * 0.000001, Lon)).ToArray();
            try
            {
                accepted += (await flooder.SendAsync(fixes)).Accepted;
            }
            catch (HubException ex)
            {
                refusal = ex;
            }
        }

        Assert.NotNull(refusal);
        Assert.Contains("Retry after", refusal.Message, StringComparison.Ordinal);
        var refilled = RateLimitServer.FixesPerSecond * Math.Ceiling(watch.Elapsed.TotalSeconds);
        Assert.True(accepted <= RateLimitServer.FixBurst + refilled, $"{accepted} fixes accepted past a burst of {RateLimitServer.FixBurst} and {refilled} refilled");
        Assert.True(Refused() > refusedBefore, "the refusal is counted in the metrics");
        Assert.Equal(1, (await neighbour.MoveToAsync(Lat, Lon + 0.0011)).Accepted);
    }

    [Fact]
    public async Task Order_creation_is_limited_per_merchant_with_retry_after()
    {
        server.RequireServices();
        var token = await server.MerchantTokenAsync("shop-rl");
        for (var i = 0; i < RateLimitServer.Orders; i++)
            Assert.Equal(HttpStatusCode.Created, (await server.PostOrderAsync(DispatchServer.OrderBody(), Guid.NewGuid().ToString(), token)).StatusCode);

        using var refused = await server.PostOrderAsync(DispatchServer.OrderBody(), Guid.NewGuid().ToString(), token);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(RateLimitServer.Orders, await server.ScalarAsync("select count(*) from orders where merchant_id = 'shop-rl'"));

        using var other = await server.PostOrderAsync(DispatchServer.OrderBody(), Guid.NewGuid().ToString(), await server.MerchantTokenAsync("shop-rl-other"));
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task Payment_callbacks_are_limited_per_address_with_retry_after()
    {
        server.RequireServices();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= RateLimitServer.Callbacks; i++)
        {
            using var response = await server.Http.PostAsJsonAsync("/api/payments/callback", new { orderId = Guid.NewGuid(), status = "paid" }, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        }
        Assert.All(statuses.Take(RateLimitServer.Callbacks), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task Tracking_subscriptions_are_limited_per_address()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(merchant: "shop-rl-track");
        await using var connection = await server.ConnectTrackingAsync();
        for (var i = 0; i < RateLimitServer.Subscriptions; i++)
            await connection.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!, TestContext.Current.CancellationToken);

        var refusal = await Assert.ThrowsAsync<HubException>(() =>
            connection.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), order.TrackingToken!, TestContext.Current.CancellationToken));
        Assert.Contains("Retry after", refusal.Message, StringComparison.Ordinal);
    }

    private long Refused() => server.Services.GetRequiredService<DispatchMetrics>().Snapshot().RefusedByRateLimit;
}
