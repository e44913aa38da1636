using System.Net;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// Behind HAProxy (on loopback, as infra/haproxy.sh runs it) the per-address limits count the client named in X-Forwarded-For,
/// not the balancer; the header from a proxy outside <c>Proxies:Trusted</c> is ignored, so a client cannot choose its address.
/// </summary>
public sealed class ForwardedForTests(ForwardedForServer server) : IClassFixture<ForwardedForServer>
{
    private const string Tile = "/api/tiles/14/8529/5974.mvt";

    [Fact]
    public async Task Behind_a_loopback_proxy_each_forwarded_client_has_its_own_limit()
    {
        server.RequireServices();
        for (var i = 0; i < ForwardedForServer.TilesPerMinute; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await TileAsync(server.Http, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await TileAsync(server.Http, "203.0.113.7"));

        // Another client through the same balancer: a bucket of its own.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await TileAsync(server.Http, "203.0.113.8"));
        // HAProxy appends the address it saw: only the last entry is believed, whatever the client wrote before it.
        Assert.Equal(HttpStatusCode.TooManyRequests, await TileAsync(server.Http, "198.51.100.1, 203.0.113.7"));
    }

    [Fact]
    public async Task The_header_from_an_untrusted_proxy_is_ignored()
    {
        server.RequireServices();
        await using var node = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server, new Dictionary<string, string?>
        {
            ["Proxies:Trusted:0"] = "10.0.0.0/8",
            ["RateLimits:TilesPerMinute"] = ForwardedForServer.TilesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        for (var i = 0; i < ForwardedForServer.TilesPerMinute; i++)
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await TileAsync(node.Http, $"203.0.113.{20 + i}"));

        // Loopback is not a trusted proxy on this node: every call counts against 127.0.0.1, whatever the header says.
        Assert.Equal(HttpStatusCode.TooManyRequests, await TileAsync(node.Http, "203.0.113.30"));
    }

    private static async Task<HttpStatusCode> TileAsync(HttpClient http, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Tile);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
