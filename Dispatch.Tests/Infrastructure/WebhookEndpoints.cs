using System.Net;
using System.Net.Http.Json;
using Dispatch.Server.Webhooks;

namespace Dispatch.Tests.Infrastructure;

/// <summary>Registers a merchant's webhook endpoint through the real API, as the merchant (201 expected).</summary>
internal static class WebhookEndpoints
{
    private static readonly string[] StatusOnly = ["order.status"];

    public static async Task<RegisteredWebhook> RegisterAsync(DispatchServer server, string merchant, string url, params string[] events)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks")
        {
            Content = JsonContent.Create(new { url, events = events.Length == 0 ? StatusOnly : events }, options: DispatchServer.Json),
        };
        request.Headers.Authorization = new("Bearer", await server.TokenAsync("merchant", merchant));
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RegisteredWebhook>(DispatchServer.Json))!;
    }
}
