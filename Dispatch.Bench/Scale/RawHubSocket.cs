using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;

namespace Dispatch.Bench.Scale;

/// <summary>
/// One SignalR client reduced to its wire: a WebSocket, the JSON protocol handshake, pings, and a receive loop that counts
/// the invocations the server sends (no parsing beyond the message type), so that thousands of them cost the load
/// generator little. With <see cref="Deliveries"/> shared, many sockets count into one total.
/// </summary>
public sealed class RawHubSocket : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    // {"type":N — the server's JSON protocol writes the type first; its digit is the 9th byte of a message.
    private const int TypeDigitAt = 8;
    private static readonly byte[] Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();

    private readonly ClientWebSocket _socket = new();
    private readonly DeliveryCounter? _deliveries;
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;
    private int _messages;
    private int _position;
    private bool _invocation;

    private RawHubSocket(DeliveryCounter? deliveries) => _deliveries = deliveries;

    /// <summary>The server-assigned connection id (only when connected through a negotiate).</summary>
    public string? ConnectionId { get; private set; }

    public bool Open => _socket.State == WebSocketState.Open;

    /// <summary>Connects straight to the WebSocket (no negotiate, as the courier app does) and completes the handshake.</summary>
    public static Task<RawHubSocket> ConnectAsync(Uri hub, string? accessToken, HttpMessageInvoker invoker, DeliveryCounter? deliveries, CancellationToken ct) =>
        OpenAsync(WebSocketUri(hub, accessToken, null), null, invoker, deliveries, ct);

    /// <summary>Negotiates first (for a connection id the server side can put in groups), then opens the WebSocket.</summary>
    public static async Task<RawHubSocket> NegotiateAsync(Uri hub, string? accessToken, HttpMessageInvoker invoker, DeliveryCounter? deliveries, CancellationToken ct)
    {
        var query = "negotiateVersion=1" + (accessToken is null ? "" : "&access_token=" + Uri.EscapeDataString(accessToken));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub.AbsoluteUri.TrimEnd('/') + "/negotiate?" + query));
        using var response = await invoker.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var id = body.GetProperty("connectionId").GetString()!;
        var token = body.GetProperty("connectionToken").GetString()!;
        return await OpenAsync(WebSocketUri(hub, accessToken, token), id, invoker, deliveries, ct);
    }

    /// <summary>A keep-alive: the server closes a connection it has not heard from for 30 s.</summary>
    public async Task PingAsync(CancellationToken ct)
    {
        if (Open) await _socket.SendAsync(Ping, WebSocketMessageType.Text, true, ct);
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        try
        {
            await _receiving;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }

    private static async Task<RawHubSocket> OpenAsync(Uri uri, string? connectionId, HttpMessageInvoker invoker, DeliveryCounter? deliveries, CancellationToken ct)
    {
        var hub = new RawHubSocket(deliveries) { ConnectionId = connectionId };
        try
        {
            await hub._socket.ConnectAsync(uri, invoker, ct);
            await hub._socket.SendAsync(Handshake, WebSocketMessageType.Text, true, ct);
            hub._receiving = hub.ReceiveAsync();
            await hub._handshake.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    private static Uri WebSocketUri(Uri hub, string? accessToken, string? connectionToken)
    {
        var builder = new UriBuilder(hub) { Scheme = hub.Scheme == "https" ? "wss" : "ws" };
        var query = new List<string>();
        if (connectionToken is not null) query.Add("id=" + Uri.EscapeDataString(connectionToken));
        if (accessToken is not null) query.Add("access_token=" + Uri.EscapeDataString(accessToken));
        builder.Query = string.Join('&', query);
        return builder.Uri;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                Count(buffer.AsSpan(0, result.Count));
            }
            _handshake.TrySetException(new InvalidOperationException("the server closed the connection"));
        }
        catch (Exception ex)
        {
            _handshake.TrySetException(ex);
        }
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf(RecordSeparator);
            var length = end < 0 ? bytes.Length : end;
            if (_position <= TypeDigitAt && _position + length > TypeDigitAt)
                _invocation = bytes[TypeDigitAt - _position] == (byte)'1';
            if (end < 0)
            {
                _position += length;
                return;
            }
            if (_messages++ == 0)
            {
                // The handshake answer: {} or {"error":"…"}.
                if (_position + end > 2) _handshake.TrySetException(new InvalidOperationException("handshake refused: " + System.Text.Encoding.UTF8.GetString(bytes[..end])));
                else _handshake.TrySetResult();
            }
            else if (_invocation)
            {
                _deliveries?.Add();
            }
            _position = 0;
            _invocation = false;
            bytes = bytes[(end + 1)..];
        }
    }
}
