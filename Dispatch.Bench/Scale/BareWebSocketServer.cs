using System.Net.WebSockets;

namespace Dispatch.Bench.Scale;

/// <summary>
/// <c>bare-ws --urls URL</c>: the connection benchmark's baseline, a bare Kestrel WebSocket endpoint at <c>/ws</c> built
/// like the server (WebApplication, same runtime settings) that answers the SignalR handshake with <c>{}</c> and then only
/// reads (512-byte buffer per connection), with its managed heap on <c>/metrics</c> in the server's metric name.
/// </summary>
public static class BareWebSocketServer
{
    private static readonly byte[] HandshakeAnswer = "{}\u001e"u8.ToArray();

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var urls = options.Text("urls", "http://127.0.0.1:5192");
        options.EnsureAllKnown();
        var builder = WebApplication.CreateBuilder(["--urls", urls]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/metrics", () => ProcessMemory.GcHeapText());
        app.Map("/ws", HoldAsync);
        Console.WriteLine($"[bare-ws] listening on {urls}/ws");
        // The collector as this process runs it, to compare with the server's (the script starts both with one runtimeconfig).
        var gc = GC.GetConfigurationVariables();
        string[] names = ["ServerGC", "HeapCount", "ConserveMemory", "LOHThreshold", "GCDynamicAdaptationMode"];
        Console.WriteLine("[bare-ws] GC " + string.Join(' ', names.Select(n => $"{n}={(gc.TryGetValue(n, out var v) ? v : "-")}")));
        await app.RunAsync();
        return 0;
    }

    private static async Task HoldAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[512];
        var answered = false;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close) break;
                if (!answered && result.EndOfMessage)
                {
                    answered = true;
                    await socket.SendAsync(HandshakeAnswer, WebSocketMessageType.Text, true, context.RequestAborted);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }
}
