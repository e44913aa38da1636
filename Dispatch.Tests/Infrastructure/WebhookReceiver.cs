using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A merchant's webhook receiver inside the test: a real Kestrel on 127.0.0.1 (random port) that records every POST
/// (path, raw body, headers) and answers with the status code <see cref="Answer"/> scripts for it (200 unless told).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Inbox<ReceivedWebhook> Received { get; } = new();

    /// <summary>The status code for a request (the 1-based count of requests so far is in it); thread-safe to swap.</summary>
    public Func<ReceivedWebhook, int> Answer { get; set; } = _ => StatusCodes.Status200OK;

    public Uri BaseUrl { get; private set; } = null!;

    public string UrlFor(string path) => new Uri(BaseUrl, path).ToString();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return receiver;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var received = new ReceivedWebhook(Interlocked.Increment(ref _count), http.Request.Method, http.Request.Path, body, headers, DateTimeOffset.UtcNow);
        var code = Answer(received);
        Received.Add(received with { AnsweredWith = code });
        http.Response.StatusCode = code;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
