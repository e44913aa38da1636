using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Geo;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Route preview on Monaco's real road network with pgRouting: sound geometry, plausible length, clear errors.</summary>
public sealed class RoutingTests(RoadNetworkServer server) : IClassFixture<RoadNetworkServer>
{
    [Fact]
    public async Task Route_between_two_addresses_is_a_continuous_valid_line_no_shorter_than_the_crow_flies()
    {
        server.RequireNetwork();
        Assert.Matches(@"road segments, [0-9.]+ km", server.ImportSummary);
        var response = await GetAsync("from=43.7396,7.4276&to=43.7309,7.4197&vehicle=bicycle");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var route = await response.Content.ReadFromJsonAsync<JsonElement>();
        var distance = route.GetProperty("distanceMetres").GetDouble();
        var straight = route.GetProperty("straightLineMetres").GetDouble();
        Assert.InRange(distance, straight, straight * 3);
        Assert.True(route.GetProperty("durationSeconds").GetDouble() > 0);

        var geometry = route.GetProperty("geometry");
        Assert.Equal("LineString", geometry.GetProperty("type").GetString());
        var points = geometry.GetProperty("coordinates").EnumerateArray().Select(c => new LatLon(c[1].GetDouble(), c[0].GetDouble())).ToList();
        Assert.True(points.Count >= 3);
        var gaps = points.Zip(points.Skip(1), GeoMath.DistanceMetres).ToList();
        Assert.All(gaps, g => Assert.True(g < 400, $"a {g:0} m jump means the line is broken"));
        Assert.Equal(distance, gaps.Sum(), distance * 0.05); // the line is the route that was measured
        var snappedFrom = route.GetProperty("snappedFrom");
        Assert.Equal(snappedFrom[0].GetDouble(), points[0].Lat, 5);
        Assert.True(GeoMath.DistanceMetres(points[0], new LatLon(43.7396, 7.4276)) < 250);
        Assert.True(GeoMath.DistanceMetres(points[^1], new LatLon(43.7309, 7.4197)) < 250);

        // PostGIS agrees the line is a valid, simple WGS84 LineString.
        var valid = await server.ScalarAsync(
            "select (st_isvalid(g) and st_srid(g) = 4326 and st_geometrytype(g) = 'ST_LineString')::int from (select st_setsrid(st_geomfromgeojson($1), 4326) as g) x",
            geometry.GetRawText());
        Assert.Equal(1, valid);
    }

    [Fact]
    public async Task Walking_ignores_one_way_streets_so_it_is_never_longer_than_cycling()
    {
        server.RequireNetwork();
        var bike = await (await GetAsync("from=43.7396,7.4276&to=43.7309,7.4197&vehicle=bicycle")).Content.ReadFromJsonAsync<JsonElement>();
        var walk = await (await GetAsync("from=43.7396,7.4276&to=43.7309,7.4197&vehicle=walking")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(walk.GetProperty("distanceMetres").GetDouble() <= bike.GetProperty("distanceMetres").GetDouble() + 0.5);
        Assert.True(walk.GetProperty("durationSeconds").GetDouble() > bike.GetProperty("durationSeconds").GetDouble());
    }

    [Theory]
    [InlineData("from=43.7300,7.4380&to=43.7309,7.4197", HttpStatusCode.BadRequest, "from", "nearest road")] // in the harbour
    [InlineData("from=43.7396,7.4276&to=43.8000,7.4197", HttpStatusCode.BadRequest, "to", "outside zone")]
    [InlineData("from=43.7396&to=43.7309,7.4197", HttpStatusCode.BadRequest, "from", "lat,lon")]
    [InlineData("from=43.7396,7.4276&to=43.7309,7.4197&vehicle=rocket", HttpStatusCode.BadRequest, "vehicle", "vehicle must be")]
    public async Task Bad_points_get_a_precise_problem(string query, HttpStatusCode status, string field, string text)
    {
        server.RequireNetwork();
        var response = await GetAsync(query);
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.Contains(text, messages[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_zone_is_not_found_and_couriers_may_not_ask()
    {
        server.RequireNetwork();
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("from=43.7396,7.4276&to=43.7309,7.4197", zone: "atlantis")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("from=43.7396,7.4276&to=43.7309,7.4197", role: "courier")).StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string query, string zone = "monaco", string role = "dispatcher")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/zones/{zone}/route?{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync(role, $"{role}-1"));
        return await server.Http.SendAsync(request);
    }
}
