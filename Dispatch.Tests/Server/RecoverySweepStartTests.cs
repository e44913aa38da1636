using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// A node starting up sweeps at once the zones it dispatches: an order stranded before it started does not wait a whole sweep
/// interval. The fixture's node dispatches no zone, so the starting node takes the zone (and its sweep) at its start.
/// </summary>
public sealed class RecoverySweepStartTests(ZoneLeaseServer server) : IClassFixture<ZoneLeaseServer>
{
    [Fact]
    public async Task A_node_starting_releases_an_order_stranded_before_it_started()
    {
        server.RequireServices();
        // Paid with nobody dispatching the zone yet, then Offered with its only offer already declined (a crash of older code).
        var order = await server.CreateOrderAsync();
        (await server.PayAsync(order.Id)).EnsureSuccessStatusCode();
        Assert.Equal(1, await server.ScalarAsync("""
            with o as (update orders set status = 3, version = version + 1 where id = $1 and status = 1 returning id),
                 f as (insert into offers (id, order_id, courier_id, status, created_at, expires_at, rank, distance_metres, cost, responded_at, reason)
                       select gen_random_uuid(), id, gen_random_uuid(), 2, now(), now() + interval '20 seconds', 0, 100, 1, now(), 'declined before the crash' from o)
            select count(*) from o
            """, order.Id));

        await using var starting = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server, new Dictionary<string, string?>
        {
            ["Dispatch:RecoverySweepSeconds"] = "3600",
            ["Dispatch:Strategy"] = "batch",
            ["Dispatch:BatchWindowSeconds"] = "300",
        }));
        await Eventually.WaitForAsync(
            () => server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 2 and actor = 'system:recovery'", order.Id),
            n => n == 1, "the starting node's sweep releasing the stranded order", TimeSpan.FromSeconds(10));
    }
}
