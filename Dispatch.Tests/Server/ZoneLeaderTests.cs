using System.Diagnostics;
using Dispatch.Server.Dispatching;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// One dispatcher per zone across nodes on one database: only the lease holder runs the zone's round, a stopped or silent
/// holder is replaced within the lease, an old holder whose token was superseded writes nothing, and no courier can hold two
/// pending offers.
/// </summary>
public sealed class ZoneLeaderTests(ZoneLeaseServer server) : IClassFixture<ZoneLeaseServer>
{
    private const string Zone = "monaco";

    [Fact]
    public async Task Only_the_node_holding_the_zone_runs_its_round()
    {
        server.RequireServices();
        await using var a = await server.DispatcherNodeAsync();
        await using var b = await server.DispatcherNodeAsync();
        var (leader, other) = await LeaderAsync(a, b);
        // An earlier test's waiting order from the same pickup would ride in this courier's bundle: none is left waiting.
        await LeftBehind.CancelOpenOrdersAsync(server);
        await using var courier = await server.OnlineCourierAtAsync("lead-1", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0002);
        try
        {
            var order = await server.CreateOrderAsync();
            await server.PayAsync(order.Id);

            Assert.Equal(0, await other.Services.GetRequiredService<BatchRound>().RunAsync(Zone, CancellationToken.None));
            Assert.Equal(0, await server.ScalarAsync("select count(*) from offers where order_id = $1", order.Id));
            Assert.Equal(1, await leader.Services.GetRequiredService<BatchRound>().RunAsync(Zone, CancellationToken.None));
            Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where courier_id = $1 and order_id = $2", courier.Id, order.Id));
            Assert.Equal(0, await other.Services.GetRequiredService<OfferAnswers>().ExpireDueOffersAsync(CancellationToken.None));
        }
        finally
        {
            await LeftBehind.CancelOpenOrdersAsync(server);
        }
    }

    [Fact]
    public async Task Stopping_the_leader_hands_the_zone_over_within_the_lease()
    {
        server.RequireServices();
        var a = await server.DispatcherNodeAsync();
        await using var b = await server.DispatcherNodeAsync();
        var (leader, other) = await LeaderAsync(a, b);
        var before = await server.LeaseAsync(Zone);

        var watch = Stopwatch.StartNew();
        await leader.DisposeAsync();
        if (!ReferenceEquals(leader, a)) await a.DisposeAsync();
        var after = await Eventually.WaitForAsync(() => server.LeaseAsync(Zone), l => l.Holder == ZoneLeaseServer.HolderOf(other),
            "the other node holding the zone", TimeSpan.FromSeconds(ZoneLeaseServer.LeaseSeconds * 2));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(ZoneLeaseServer.LeaseSeconds * 2), $"took {watch.Elapsed}");
        Assert.Equal(before.Token + 1, after.Token);
    }

    [Fact]
    public async Task A_holder_that_stops_renewing_loses_the_zone_within_the_lease()
    {
        server.RequireServices();
        await using var a = await server.DispatcherNodeAsync();
        await LeaderAsync(a, a);
        // A node that took the zone over and then died: it never renews.
        var dead = await server.ScalarAsync(
            "update zone_leases set holder = 'dead-node', token = token + 1, expires_at = now() + make_interval(secs => $2) where zone = $1 returning token",
            Zone, (double)ZoneLeaseServer.LeaseSeconds);

        var watch = Stopwatch.StartNew();
        var after = await Eventually.WaitForAsync(() => server.LeaseAsync(Zone), l => l.Holder == ZoneLeaseServer.HolderOf(a),
            "the live node taking the zone back", TimeSpan.FromSeconds(ZoneLeaseServer.LeaseSeconds * 3));

        // Within the lease plus one renewal (a third of a lease), with room for a loaded machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(ZoneLeaseServer.LeaseSeconds * 2.5), $"took {watch.Elapsed}");
        Assert.Equal(dead + 1, after.Token);
    }

    [Fact]
    public async Task A_paused_leader_whose_token_was_superseded_inserts_no_offer()
    {
        server.RequireServices();
        // A long lease: the paused node does not notice at its next renewal, so only the token check in the write stops it.
        await using var paused = await server.DispatcherNodeAsync(leaseSeconds: 120);
        await LeaderAsync(paused, paused);
        await using var courier = await server.OnlineCourierAtAsync("fence-1", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0002);
        var order = await server.CreateOrderAsync();
        await server.PayAsync(order.Id);
        // Another node took the zone over while this one was paused (as it would once the lease ran out).
        await server.ScalarAsync("update zone_leases set holder = 'new-leader', token = token + 1, expires_at = now() + interval '10 minutes' where zone = $1", Zone);

        try
        {
            Assert.Equal(0, await paused.Services.GetRequiredService<BatchRound>().RunAsync(Zone, CancellationToken.None));
            Assert.Equal(0, await server.ScalarAsync("select count(*) from offers where order_id = $1", order.Id));
            Assert.Equal(0, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and actor = 'dispatch'", order.Id));
        }
        finally
        {
            // The made-up leader never renews: its lease ends now, so the class's other tests find a real node holding the zone.
            await server.ScalarAsync("update zone_leases set expires_at = now() where zone = $1 and holder = 'new-leader'", Zone);
            // Its paid order would ride along in the next test's round.
            await LeftBehind.CancelOpenOrdersAsync(server);
        }
    }

    [Fact]
    public async Task The_database_refuses_a_second_pending_offer_to_one_courier()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("unique-1", DispatchServer.CasinoLat, DispatchServer.CasinoLon + 0.0002);
        var first = await server.CreateOrderAsync();
        var second = await server.CreateOrderAsync();
        const string insert = "insert into offers (id, order_id, courier_id, status, created_at, expires_at, rank, distance_metres, cost) " +
            "values (gen_random_uuid(), $1, $2, 0, now(), now() + interval '1 minute', 0, 10, 1)";
        await server.ScalarAsync(insert, first.Id, courier.Id);

        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => server.ScalarAsync(insert, second.Id, courier.Id));

        Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, refused.SqlState);
        Assert.Equal("ix_offers_one_pending_per_courier", refused.ConstraintName);
        await server.ScalarAsync("update offers set status = 3 where courier_id = $1", courier.Id);
    }

    /// <summary>Waits for one of the nodes to hold the zone; (leader, the other).</summary>
    private async Task<(ExtraNode Leader, ExtraNode Other)> LeaderAsync(ExtraNode a, ExtraNode b)
    {
        var lease = await Eventually.WaitForAsync(() => server.LeaseAsync(Zone),
            l => l.Holder == ZoneLeaseServer.HolderOf(a) || l.Holder == ZoneLeaseServer.HolderOf(b), "a node holding the zone",
            TimeSpan.FromSeconds(ZoneLeaseServer.LeaseSeconds * 4));
        return lease.Holder == ZoneLeaseServer.HolderOf(a) ? (a, b) : (b, a);
    }
}
