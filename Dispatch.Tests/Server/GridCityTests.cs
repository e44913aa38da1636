using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Geo;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Without an extract, the generated street grid routes too: Manhattan-like paths, never shorter than the crow flies.</summary>
public sealed class GridCityTests(GridNetworkServer server) : IClassFixture<GridNetworkServer>
{
    [Fact]
    public async Task The_generated_grid_routes_between_any_two_points()
    {
        server.RequireNetwork();
        Assert.Contains("road segments", server.ImportSummary, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/zones/monaco/route?from=43.7250,7.4100&to=43.7480,7.4350&vehicle=car");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("dispatcher", "d-1"));
        var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var route = await response.Content.ReadFromJsonAsync<JsonElement>();
        var straight = route.GetProperty("straightLineMetres").GetDouble();
        var distance = route.GetProperty("distanceMetres").GetDouble();
        // On a grid the shortest path is the Manhattan distance: between 1 and √2 times the straight line (plus snapping).
        Assert.InRange(distance, straight * 0.95, straight * 1.5);
        var points = route.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c => new LatLon(c[1].GetDouble(), c[0].GetDouble())).ToList();
        Assert.All(points.Zip(points.Skip(1), GeoMath.DistanceMetres), gap => Assert.InRange(gap, 0, 160));
    }
}
