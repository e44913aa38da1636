using Dispatch.Core.Orders;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Zones;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>
/// A large batch round is written in two halves at once, each its own transaction (<c>Dispatch:BatchWriteSplitFrom</c>):
/// every order still gets the one-transaction round's timeline, outbox event, offer and explanation, an order changed
/// meanwhile is skipped in its half only (the other half waiting to commit with it), and a fence taken over meanwhile stops both halves.
/// </summary>
public sealed class BatchSplitWriteTests(SplitBatchServer server) : IClassFixture<SplitBatchServer>
{
    private static double North(double metres) => 43.7330 + metres / 111_320.0;

    [Fact]
    public async Task Both_halves_write_each_order_as_one_transaction_would()
    {
        server.RequireServices();
        var (couriers, orders) = await FourOrdersWithCouriersAsync("split-all", 7.4200);
        try
        {
            Assert.Equal(4, await server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", TestContext.Current.CancellationToken));

            var ids = orders.ToArray();
            // Two transactions wrote the round: the orders' rows carry two transaction ids.
            Assert.Equal(2, await server.ScalarAsync("select count(distinct xmin::text) from orders where id = any($1)", ids));
            foreach (var id in orders)
            {
                Assert.Equal(["placed>placed", "placed>paid", "paid>offered"], await OutboxGuard.MovesAsync(server.Db, id));
                Assert.Equal(1, await server.ScalarAsync("""
                    select count(*) from outbox o join orders r on r.id = o.order_id
                    where o.order_id = $1 and o.payload->>'from' = 'paid' and o.payload->>'to' = 'offered' and o.payload->>'merchantId' = r.merchant_id
                      and (o.payload->>'number')::bigint = r.number and o.payload->>'zone' = 'monaco' and o.payload->>'actor' = 'dispatch'
                      and o.payload->>'note' is null
                    """, id));
                Assert.Equal(["dispatching:", "offered:courier"], await server.DispatcherTimelineAsync(id));
                Assert.Equal((long)OrderStatus.Offered, await server.ScalarAsync("select status from orders where id = $1", id));
                Assert.Equal(1, await server.ScalarAsync("select count(*) from offers where order_id = $1 and status = 0", id));
                Assert.Equal(1, await server.ScalarAsync("select count(*) from dispatch_decisions where order_id = $1", id));
            }
            for (var i = 0; i < 4; i++) await couriers[i].Offers.NextAsync(o => o.OrderId == orders[i], what: $"order {i}'s offer");
        }
        finally
        {
            foreach (var c in couriers) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_order_cancelled_while_its_half_runs_is_skipped_and_the_other_orders_are_offered()
    {
        server.RequireServices();
        var (couriers, orders) = await FourOrdersWithCouriersAsync("split-race", 7.4150);
        try
        {
            // Another writer cancels the last order (the second half's) and holds its row: that half's update waits for it.
            await using var connection = await server.Db.OpenConnectionAsync();
            await using var cancel = await connection.BeginTransactionAsync();
            await using (var update = new NpgsqlCommand("update orders set status = $1, version = version + 1 where id = $2", connection, cancel))
            {
                update.Parameters.Add(new NpgsqlParameter { Value = (int)OrderStatus.Cancelled });
                update.Parameters.Add(new NpgsqlParameter { Value = orders[3] });
                Assert.Equal(1, await update.ExecuteNonQueryAsync());
            }
            var round = server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", CancellationToken.None);
            await WaitForLockWaitAsync(round, "the round waiting on the cancelled order's row");
            // The halves commit together (Dispatch:BatchCommitTogether): the first, written, waits in its transaction for the second.
            await Eventually.WaitForAsync(
                async () =>
                {
                    await using var idle = server.Db.CreateCommand(
                        $"select count(*) from pg_stat_activity where datname = current_database() and state = 'idle in transaction' and pid <> {connection.ProcessID}");
                    return (long)(await idle.ExecuteScalarAsync())!;
                },
                n => n > 0 || round.IsCompleted, "the first half waiting, uncommitted, for the second");
            Assert.Equal((long)OrderStatus.Paid, await server.ScalarAsync("select status from orders where id = $1", orders[0]));
            await cancel.CommitAsync();

            Assert.Equal(3, await round);
            foreach (var id in orders[..3])
            {
                Assert.Equal((long)OrderStatus.Offered, await server.ScalarAsync("select status from orders where id = $1", id));
                Assert.Equal(["dispatching:", "offered:courier"], await server.DispatcherTimelineAsync(id));
                Assert.Equal(1, await server.ScalarAsync("select count(*) from dispatch_decisions where order_id = $1", id));
            }
            Assert.Equal((long)OrderStatus.Cancelled, await server.ScalarAsync("select status from orders where id = $1", orders[3]));
            Assert.Empty(await server.DispatcherTimelineAsync(orders[3]));
            Assert.Equal(["placed>placed", "placed>paid"], await OutboxGuard.MovesAsync(server.Db, orders[3]));
            Assert.Equal(0, await server.ScalarAsync("select count(*) from offers where order_id = $1", orders[3]));
            Assert.Equal(0, await server.ScalarAsync("select count(*) from dispatch_decisions where order_id = $1", orders[3]));
        }
        finally
        {
            foreach (var c in couriers) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_fence_taken_over_while_the_halves_run_stops_both()
    {
        server.RequireServices();
        var (couriers, orders) = await FourOrdersWithCouriersAsync("split-fence", 7.4100);
        try
        {
            // A takeover raises the zone's token and holds the lease row: both halves' fence checks wait, then find the token gone.
            await using var connection = await server.Db.OpenConnectionAsync();
            await using var takeover = await connection.BeginTransactionAsync();
            await using (var update = new NpgsqlCommand("update zone_leases set token = token + 1 where zone = 'monaco'", connection, takeover))
                Assert.Equal(1, await update.ExecuteNonQueryAsync());
            var round = server.Services.GetRequiredService<BatchRound>().RunAsync("monaco", CancellationToken.None);
            await WaitForLockWaitAsync(round, "the round's fence check waiting on the lease row");
            await takeover.CommitAsync();

            Assert.Equal(0, await round);
            foreach (var id in orders)
            {
                Assert.Equal((long)OrderStatus.Paid, await server.ScalarAsync("select status from orders where id = $1", id));
                Assert.Empty(await server.DispatcherTimelineAsync(id));
                Assert.Equal(["placed>placed", "placed>paid"], await OutboxGuard.MovesAsync(server.Db, id));
                Assert.Equal(0, await server.ScalarAsync("select count(*) from offers where order_id = $1", id));
                Assert.Equal(0, await server.ScalarAsync("select count(*) from dispatch_decisions where order_id = $1", id));
            }
        }
        finally
        {
            // The node takes the raised token as its own again (its holder is unchanged), as its next renewal would.
            await server.Services.GetRequiredService<ZoneLeadership>().RenewAsync(CancellationToken.None);
            // Left waiting, they would be the older orders in the next test's round.
            foreach (var id in orders)
                Assert.True((await server.CallAsync(HttpMethod.Post, $"/api/orders/{id}/cancel", "dispatcher", new { reason = "test over" })).IsSuccessStatusCode);
            foreach (var c in couriers) await c.DisposeAsync();
        }
    }

    /// <summary>
    /// Four paid orders 400 m apart along <paramref name="lon"/>, oldest first, each with a courier 50 m from its pickup (each
    /// test its own meridian, ~400 m from the next, so couriers another test left online are not nearer).
    /// </summary>
    private async Task<(List<TestCourier> Couriers, Guid[] Orders)> FourOrdersWithCouriersAsync(string handle, double lon)
    {
        var couriers = new List<TestCourier>();
        var orders = new Guid[4];
        for (var i = 0; i < 4; i++)
        {
            couriers.Add(await server.OnlineCourierAtAsync($"{handle}-{i}", North(400 * i + 50), lon));
            var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: North(400 * i), pickupLon: lon, dropoffLat: North(400 * i + 200), dropoffLon: lon + 0.003));
            await server.PayAsync(order.Id);
            orders[i] = order.Id;
        }
        return (couriers, orders);
    }

    private async Task WaitForLockWaitAsync(Task round, string what)
    {
        await Eventually.WaitForAsync(
            async () =>
            {
                await using var waiting = server.Db.CreateCommand("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
                return (long)(await waiting.ExecuteScalarAsync())!;
            },
            n => n > 0 || round.IsCompleted, what);
        Assert.False(round.IsCompleted, what);
    }
}
