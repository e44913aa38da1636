using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Admins add, move and remove zones at run time; orders and fixes follow at once.</summary>
public sealed class ZoneAdminTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    // A box over the centre of Nice, well clear of the configured Monaco zone.
    private const string Nice = "POLYGON((7.25 43.69, 7.29 43.69, 7.29 43.71, 7.25 43.71, 7.25 43.69))";

    private static object OrderIn(double lat, double lon) => DispatchServer.OrderBody(pickupLat: lat, pickupLon: lon, dropoffLat: lat + 0.004, dropoffLon: lon + 0.004);

    [Fact]
    public async Task A_zone_added_by_an_admin_takes_orders_and_couriers_until_it_is_removed()
    {
        server.RequireServices();
        var merchant = await server.MerchantTokenAsync();
        var before = await server.PostOrderAsync(OrderIn(43.70, 7.27), Guid.NewGuid().ToString(), merchant);
        Assert.Equal(HttpStatusCode.BadRequest, before.StatusCode);
        Assert.Contains("outside every zone", await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var put = await server.CallAsync(HttpMethod.Put, "/api/zones/nice", "admin", new { boundary = Nice });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var zones = await (await server.Http.GetAsync("/api/zones")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Contains(zones.EnumerateArray(), z => z.GetProperty("name").GetString() == "nice");
        Assert.Equal(1, await server.ScalarAsync("select count(*) from zones where name = 'nice' and changed_by like 'admin:%'"));

        var order = await server.CreateOrderAsync(OrderIn(43.70, 7.27));
        Assert.Equal("nice", order.Zone);
        var member = (await server.FleetAsync("nice", 1))[0];
        await using (var courier = await server.ConnectCourierAsync(member))
        {
            await courier.GoOnlineAsync();
            Assert.Equal(1, (await courier.MoveToAsync(43.701, 7.271)).Accepted);
            await Eventually.WaitForAsync(() => server.Redis.GeoPositionAsync(server.Keys.ZoneCouriers("nice"), Dispatch.Server.Fleet.FleetKeys.Member(courier.Id)),
                p => p is not null, "the courier in the new zone's geo set");
        }

        var refused = await server.CallAsync(HttpMethod.Delete, "/api/zones/nice", "admin");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("1 open order(s)", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "zone closing" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await server.CallAsync(HttpMethod.Delete, "/api/zones/nice", "admin")).StatusCode);
        var after = await server.PostOrderAsync(OrderIn(43.70, 7.27), Guid.NewGuid().ToString(), merchant);
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
    }

    [Theory]
    [InlineData("Nice!", Nice, HttpStatusCode.BadRequest, "name")]
    [InlineData("bad_shape", "POLYGON((7.25 43.69, 7.29 43.71, 7.29 43.69, 7.25 43.71, 7.25 43.69))", HttpStatusCode.BadRequest, "not a valid polygon")]
    [InlineData("swapped", "POLYGON((43.69 7.25, 43.69 7.29, 43.71 7.29, 43.71 7.25, 43.69 7.25))", HttpStatusCode.OK, null)]
    [InlineData("not_wkt", "around the port", HttpStatusCode.BadRequest, "boundary is not WKT")]
    [InlineData("a_line", "LINESTRING(7.25 43.69, 7.29 43.71)", HttpStatusCode.BadRequest, "must be a POLYGON")]
    [InlineData("too_big", "POLYGON((0 40, 5 40, 5 45, 0 45, 0 40))", HttpStatusCode.BadRequest, "at most 5000 km²")]
    [InlineData("overlap", "POLYGON((7.40 43.72, 7.43 43.72, 7.43 43.74, 7.40 43.74, 7.40 43.72))", HttpStatusCode.Conflict, "overlaps zone 'monaco'")]
    [InlineData("monaco", Nice, HttpStatusCode.Conflict, "comes from configuration")]
    [InlineData("far_out", "POLYGON((190 43.69, 191 43.69, 191 43.71, 190 43.71, 190 43.69))", HttpStatusCode.BadRequest, "longitude -180..180")]
    public async Task Bad_zones_are_refused_with_the_reason_and_nothing_changes(string name, string boundary, HttpStatusCode status, string? reason)
    {
        server.RequireServices();
        var before = await server.ScalarAsync("select count(*) from zones");
        var response = await server.CallAsync(HttpMethod.Put, $"/api/zones/{Uri.EscapeDataString(name)}", "admin", new { boundary });
        Assert.Equal(status, response.StatusCode);
        if (reason is not null)
        {
            Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(before, await server.ScalarAsync("select count(*) from zones"));
        }
        else
        {
            // Lat/lon swapped by mistake is a valid polygon (in the Indian Ocean): accepted, and removable.
            Assert.Equal(HttpStatusCode.NoContent, (await server.CallAsync(HttpMethod.Delete, $"/api/zones/{name}", "admin")).StatusCode);
        }
    }

    [Fact]
    public async Task Only_admins_change_zones()
    {
        server.RequireServices();
        Assert.Equal(HttpStatusCode.Forbidden, (await server.CallAsync(HttpMethod.Put, "/api/zones/nice2", "dispatcher", new { boundary = Nice })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.CallAsync(HttpMethod.Delete, "/api/zones/monaco", "merchant")).StatusCode);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from zones where name = 'nice2'"));
    }
}
