using System.Net;
using Dispatch.Core.Contracts;
using Dispatch.Server.Auth;
using Dispatch.Server.Tracking;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// The hostile battery over SignalR: the courier and control-room hubs refuse a connection without a token, with an
/// expired one or with the wrong role; every call of <see cref="HostileHubInputs"/>, over JSON and over MessagePack,
/// gets a HubException naming the argument or rule, and no stored row changes.
/// </summary>
public sealed class HostileHubTests(HostileServer server) : IClassFixture<HostileServer>
{
    public static TheoryData<string, string> CallNames => [.. HostileHubInputs.Calls.SelectMany(c => new[] { (c.Name, "json"), (c.Name, "messagepack") })];

    public static TheoryData<string, string, HttpStatusCode> RefusedConnections => new()
    {
        { HubPaths.Courier, "none", HttpStatusCode.Unauthorized },
        { HubPaths.Courier, "expired", HttpStatusCode.Unauthorized },
        { HubPaths.Courier, "merchant", HttpStatusCode.Forbidden },
        { HubPaths.ControlRoom, "none", HttpStatusCode.Unauthorized },
        { HubPaths.ControlRoom, "expired", HttpStatusCode.Unauthorized },
        { HubPaths.ControlRoom, "courier", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(RefusedConnections))]
    public async Task A_hub_refuses_a_connection_without_the_right_token(string path, string token, HttpStatusCode status)
    {
        server.RequireServices();
        var bearer = token switch
        {
            "none" => null,
            "expired" => server.ExpiredToken(path == HubPaths.Courier ? "courier" : "dispatcher", Guid.NewGuid().ToString()),
            _ => await server.TokenAsync(token, $"{token}-1"),
        };
        await using var connection = Build(path, bearer, "json");
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal(status, refused.StatusCode);
    }

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task A_hostile_hub_call_gets_a_HubException_naming_the_argument_and_nothing_changes(string name, string protocol)
    {
        server.RequireServices();
        var call = HostileHubInputs.Calls.Single(c => c.Name == name);
        var (path, token) = call.Hub switch
        {
            "courier" => (HubPaths.Courier, (await server.FleetAsync($"hostile-{protocol}", 1))[0].Token),
            "control" => (HubPaths.ControlRoom, await server.TokenAsync("dispatcher", "dispatcher-1")),
            _ => (HubPaths.Tracking, null),
        };
        var link = server.Services.GetRequiredService<TrackingLinks>().Create(server.Order.Id, DateTimeOffset.UtcNow.AddHours(1));
        await using var connection = Build(path, token, protocol);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        var before = await server.StoredStateAsync();

        var refusal = await Assert.ThrowsAnyAsync<Exception>(() =>
            connection.InvokeCoreAsync(call.Method, typeof(object), call.Args(server, link), TestContext.Current.CancellationToken));
        if (call.Expect == HostileHubInputs.Closed)
        {
            // Larger than MaximumReceiveMessageSize: the server drops the connection rather than read on.
            Assert.Contains("closed", refusal.Message, StringComparison.Ordinal);
        }
        else
        {
            var hub = Assert.IsType<HubException>(refusal);
            Assert.Contains(call.Method, hub.Message, StringComparison.Ordinal);
            Assert.Contains(call.Expect, hub.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", hub.Message, StringComparison.Ordinal);
        }
        Assert.Equal(before, await server.StoredStateAsync());
    }

    [Fact]
    public async Task An_expired_tracking_link_is_refused()
    {
        server.RequireServices();
        var expired = server.Services.GetRequiredService<TrackingLinks>().Create(server.Order.Id, DateTimeOffset.UtcNow.AddMinutes(-1));
        await using var connection = await server.ConnectTrackingAsync();
        var refusal = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), expired, TestContext.Current.CancellationToken));
        Assert.Contains("expired", refusal.Message, StringComparison.Ordinal);
    }

    /// <summary>Frames no client library would send: the hub drops the connection, keeps serving others, and stores nothing.</summary>
    [Theory]
    [InlineData("json", "{\"type\":1,\"target\":\"Subscribe\",\"arguments\":[")]
    [InlineData("json", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[")]
    [InlineData("messagepack", "\u0005\u0096\u00c1\u00c1\u00c1\u00c1")]
    public async Task A_malformed_frame_closes_only_its_own_connection_and_changes_nothing(string protocol, string frame)
    {
        server.RequireServices();
        var before = await server.StoredStateAsync();
        var ct = TestContext.Current.CancellationToken;
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        var ws = new UriBuilder(new Uri(server.BaseUrl, HubPaths.Tracking)) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(ws, ct);
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes($"{{\"protocol\":\"{protocol}\",\"version\":1}}\u001e"), System.Net.WebSockets.WebSocketMessageType.Text, true, ct);
        var bytes = protocol == "json" ? System.Text.Encoding.UTF8.GetBytes(frame + "\u001e") : frame.Select(c => (byte)c).ToArray();
        await socket.SendAsync(bytes, protocol == "json" ? System.Net.WebSockets.WebSocketMessageType.Text : System.Net.WebSockets.WebSocketMessageType.Binary, true, ct);

        // The handshake answer, then (perhaps a close message and) the close: the server hangs up on this connection.
        var buffer = new byte[4096];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        System.Net.WebSockets.WebSocketReceiveResult received;
        do received = await socket.ReceiveAsync(buffer, timeout.Token);
        while (received.MessageType != System.Net.WebSockets.WebSocketMessageType.Close);

        await using var other = await server.ConnectTrackingAsync();
        var refusal = await Assert.ThrowsAsync<HubException>(() => other.InvokeAsync<TrackingSnapshot>(nameof(ITrackingHub.Subscribe), "x", ct));
        Assert.Contains("not valid", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, await server.StoredStateAsync());
    }

    private HubConnection Build(string path, string? token, string protocol)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(server.BaseUrl, path), o =>
        {
            if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
        });
        if (protocol == "messagepack") builder.AddMessagePackProtocol();
        return builder.Build();
    }
}
