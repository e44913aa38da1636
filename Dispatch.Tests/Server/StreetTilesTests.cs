using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dispatch.Tests.Infrastructure;
using StackExchange.Redis;

namespace Dispatch.Tests.Server;

/// <summary>
/// GET /api/tiles/{z}/{x}/{y}.mvt over Monaco's real road network (imported into this class's database): named streets
/// with their class, fewer classes far out, caching in memory and Redis with ETag revalidation, and precise refusals.
/// Anonymous on purpose: the tracking page has no sign-in and tiles hold only public road data.
/// </summary>
public sealed class StreetTilesTests(RoadNetworkServer server) : IClassFixture<RoadNetworkServer>
{
    private static async Task<(HttpResponseMessage Response, string Text)> GetAsync(HttpClient http, string path, string? etag = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (etag is not null) request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        var response = await http.SendAsync(request);
        // Protobuf keeps strings as UTF-8 bytes, so names and attribute values can be found in the raw tile.
        return (response, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    private static string Source(HttpResponseMessage response) => string.Join(",", response.Headers.GetValues("X-Tile-Source"));

    [Fact]
    public async Task A_close_tile_holds_named_streets_of_every_class_without_signing_in()
    {
        server.RequireNetwork();
        var (response, text) = await GetAsync(server.Http, TileAddress.Path(DispatchServer.CasinoLat, DispatchServer.CasinoLon, 17));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("streets", text, StringComparison.Ordinal);
        Assert.Contains("Avenue des Beaux-Arts", text, StringComparison.Ordinal);
        foreach (var kind in new[] { "class", "major", "minor", "path" }) Assert.Contains(kind, text, StringComparison.Ordinal);
        Assert.Contains("public", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task Far_out_only_major_roads_are_drawn_and_below_zoom_12_nothing()
    {
        server.RequireNetwork();
        var (_, wide) = await GetAsync(server.Http, TileAddress.Path(DispatchServer.CasinoLat, DispatchServer.CasinoLon, 13));
        Assert.Contains("major", wide, StringComparison.Ordinal);
        Assert.DoesNotContain("minor", wide, StringComparison.Ordinal);
        Assert.DoesNotContain("path", wide, StringComparison.Ordinal);
        var (city, _) = await GetAsync(server.Http, TileAddress.Path(DispatchServer.CasinoLat, DispatchServer.CasinoLon, 10));
        Assert.Equal(HttpStatusCode.OK, city.StatusCode);
        Assert.Equal(0, city.Content.Headers.ContentLength);
        Assert.Equal("none", Source(city)); // no query at all
    }

    [Fact]
    public async Task A_tile_is_cut_once_then_served_from_memory_and_redis_and_revalidated_by_etag()
    {
        server.RequireNetwork();
        var path = TileAddress.Path(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon, 16);
        var (first, firstText) = await GetAsync(server.Http, path);
        Assert.Equal("database", Source(first));
        var (second, secondText) = await GetAsync(server.Http, path);
        Assert.Equal("memory", Source(second));
        Assert.Equal(firstText, secondText);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);

        var (revalidated, _) = await GetAsync(server.Http, path, first.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);

        // Other nodes find the tile in Redis under this server's prefix.
        var (z, x, y) = TileAddress.Of(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon, 16);
        var keys = (RedisResult[])(await server.Redis.ExecuteAsync("KEYS", $"{server.RedisPrefix}:tile:*:{z}/{x}/{y}"))!;
        var key = Assert.Single(keys);
        Assert.Equal(firstText, Encoding.UTF8.GetString((byte[])(await server.Redis.StringGetAsync((string)key!))!));
    }

    [Theory]
    [InlineData("/api/tiles/21/0/0.mvt", "z")]
    [InlineData("/api/tiles/16/65536/23896.mvt", "x")]
    [InlineData("/api/tiles/16/34119/-1.mvt", "y")]
    public async Task A_tile_address_off_the_map_is_refused_naming_the_coordinate(string path, string field)
    {
        server.RequireNetwork();
        var response = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{path}: expected an error on {field}, got {problem}");
    }

    [Fact]
    public async Task A_tile_outside_every_zone_is_empty_without_a_query()
    {
        server.RequireNetwork();
        var (response, _) = await GetAsync(server.Http, TileAddress.Path(48.8566, 2.3522, 16)); // Paris
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Equal("none", Source(response));
    }
}
