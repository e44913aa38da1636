using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Server.Health;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// /health/ready says which zones the node dispatches, with the lease's token and age, and a follower (a node leading no zone)
/// is ready all the same: the balancer keeps sending it couriers and customers.
/// </summary>
public sealed class ReadyZoneLeadershipTests(ZoneLeaseServer server) : IClassFixture<ZoneLeaseServer>
{
    [Fact]
    public async Task Readiness_lists_the_zones_a_node_leads_with_the_lease_age_and_a_follower_is_ready_too()
    {
        server.RequireServices();
        await using var leader = await server.DispatcherNodeAsync();
        var (_, token) = await Eventually.WaitForAsync(() => server.LeaseAsync("monaco"), l => l.Holder == ZoneLeaseServer.HolderOf(leader), "the dispatcher node holding monaco");

        var led = await Eventually.WaitForAsync(() => ReadyAsync(leader.Http), r => Leads(r.Body).Count > 0, "the leader's readiness naming its zone");
        Assert.Equal(HttpStatusCode.OK, led.Status);
        var zone = Assert.Single(Leads(led.Body));
        Assert.Equal("monaco", zone.GetProperty("zone").GetString());
        Assert.Equal(token, zone.GetProperty("token").GetInt64());
        Assert.InRange(zone.GetProperty("heldSeconds").GetDouble(), 0, 120);
        Assert.InRange(zone.GetProperty("renewedSecondsAgo").GetDouble(), 0, ZoneLeaseServer.LeaseSeconds);
        Assert.Equal(ZoneLeaseServer.HolderOf(leader), Zones(led.Body).GetProperty("holder").GetString());

        var follower = await ReadyAsync(server.Http);
        Assert.Equal(HttpStatusCode.OK, follower.Status);
        Assert.Equal("healthy", Zones(follower.Body).GetProperty("status").GetString());
        Assert.Empty(Leads(follower.Body));
        Assert.Contains("leads no zone", Zones(follower.Body).GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    private static JsonElement Zones(JsonElement body) => body.GetProperty("checks").GetProperty("zones");

    private static List<JsonElement> Leads(JsonElement body) =>
        body.GetProperty("checks").TryGetProperty("zones", out var zones) ? [.. zones.GetProperty("leads").EnumerateArray()] : [];

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri(HealthEndpoints.Ready, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
