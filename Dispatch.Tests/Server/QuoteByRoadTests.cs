using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Server.Auth;
using Dispatch.Server.Routing;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>Where the zone has a road network, a quote's distance is the road route's, not the straight line's.</summary>
public sealed class QuoteByRoadTests(GridNetworkServer server) : IClassFixture<GridNetworkServer>
{
    [Fact]
    public async Task A_quote_in_a_zone_with_roads_is_priced_by_road_kilometres()
    {
        server.RequireNetwork();
        var token = server.Services.GetRequiredService<TokenIssuer>().Issue("customer-road", Roles.Customer, extra: [new Claim("uid", Guid.NewGuid().ToString())]);
        var quote = await (await server.AsCustomerAsync(token, HttpMethod.Post, "/api/quotes", CustomerApp.Trip())).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);

        Assert.True(quote.GetProperty("byRoad").GetBoolean());
        var legs = await server.Services.GetRequiredService<RoadRouter>().PlanAsync("monaco",
            [new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon), new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon)], Vehicle.Scooter, CancellationToken.None);
        var road = legs.Value!.Sum(l => l.Metres);
        Assert.Equal(Math.Round(road), quote.GetProperty("metres").GetDouble());
        var straight = GeoMath.DistanceMetres(new(DispatchServer.CasinoLat, DispatchServer.CasinoLon), new(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon));
        Assert.NotEqual(Math.Round(straight * 1.4), quote.GetProperty("metres").GetDouble());
        var distance = quote.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("code").GetString() == "distance").GetProperty("amountCents").GetInt32();
        Assert.Equal((int)Math.Round(Math.Ceiling(road / 100) * 12, MidpointRounding.AwayFromZero), distance); // €1.20 per km, per started 100 m
    }
}
