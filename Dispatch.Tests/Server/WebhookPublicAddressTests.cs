using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// A node that sends webhooks to public addresses only (as production does) refuses to connect to a receiver on this
/// machine: nothing reaches it, and the delivery log says why.
/// </summary>
public sealed class WebhookPublicAddressTests(PublicOnlyWebhookServer server) : IClassFixture<PublicOnlyWebhookServer>
{
    [Fact]
    public async Task A_webhook_to_a_loopback_address_is_never_sent_and_the_log_says_why()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-inward-{Guid.NewGuid():N}";
        var token = await server.TokenAsync("merchant", merchant);
        var endpoint = (await WebhookEndpoints.RegisterAsync(server, merchant, receiver.UrlFor("/hooks/inward"))).Id;

        var order = Guid.NewGuid();
        await server.CommitEventsAsync((OutboxKinds.OrderStatus, order,
            new OrderMoved(order, 77, merchant, "monaco", OrderStatus.Placed, OrderStatus.Paid, null, null, DateTimeOffset.UtcNow, "system:test", null)));

        var dead = await Eventually.WaitForAsync(async () =>
        {
            using var log = new HttpRequestMessage(HttpMethod.Get, $"/api/webhooks/{endpoint}/deliveries?state=dead");
            log.Headers.Authorization = new("Bearer", token);
            using var response = await server.Http.SendAsync(log);
            return (await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).EnumerateArray().ToList();
        }, d => d.Count == 1, "the delivery dead-lettered");
        Assert.Contains("public addresses only", dead[0].GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(receiver.Received.Drain());
    }
}
