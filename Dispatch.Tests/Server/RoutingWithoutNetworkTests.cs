using System.Net;
using System.Net.Http.Headers;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>A zone whose road network was never imported says so, and says how to import it.</summary>
public sealed class RoutingWithoutNetworkTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task Routing_a_zone_without_a_network_explains_how_to_import_one()
    {
        server.RequireServices();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/zones/monaco/route?from=43.7396,7.4276&to=43.7309,7.4197");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("merchant", "shop-1"));
        var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("infra/import-osm.sh monaco", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
