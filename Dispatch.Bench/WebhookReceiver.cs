using System.Collections.Concurrent;
using System.Diagnostics;
using Dispatch.Server.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Dispatch.Bench;

/// <summary>
/// A merchant's webhook endpoint inside the bench process (Kestrel on 127.0.0.1): answers 200 and keeps when each event
/// (by its Dispatch-Event-Id header) first arrived, as a <see cref="Stopwatch"/> timestamp. Lean, as a merchant's would be:
/// no logging, tracing or request metrics.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, long> _arrivals = new();
    private long _posts;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Distinct events received.</summary>
    public int Count => _arrivals.Count;

    /// <summary>POSTs received, repeats included.</summary>
    public long Posts => Interlocked.Read(ref _posts);

    public bool TryArrival(Guid eventId, out long timestamp) => _arrivals.TryGetValue(eventId, out timestamp);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        // A merchant's server, not ours: its requests must not feed the server's traces and metrics, which listen by these
        // names process-wide (its CPU counts in the bench's, on the same two cores).
        builder.Services.AddSingleton(new ActivitySource("Dispatch.Bench.WebhookReceiver"));
        builder.Services.AddSingleton(new DiagnosticListener("Dispatch.Bench.WebhookReceiver"));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.Arrived).DisableHttpMetrics();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    private IResult Arrived(HttpRequest request)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _posts);
        if (!Guid.TryParse(request.Headers[WebhookPoster.EventIdHeader], out var id)) return Results.BadRequest();
        _arrivals.TryAdd(id, now);
        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
