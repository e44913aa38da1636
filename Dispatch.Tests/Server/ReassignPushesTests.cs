using System.Net;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// A dispatcher's reassignment tells both couriers through the outbox (issue 17): committed while Redis is down it answers
/// success with both couriers' pushes committed beside it, and both couriers know of it once Redis is back (issue 20); a
/// normal one reaches each courier once.
/// </summary>
public sealed class ReassignPushesTests
{
    private const double Lat = 43.7380, Lon = 7.4250;

    [Fact]
    public async Task A_reassignment_committed_while_Redis_is_down_succeeds_and_reaches_both_couriers_once_it_returns()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        await using var first = await server.OnlineCourierAtAsync("rd-reassign-a", Lat, Lon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat, pickupLon: Lon));
        try
        {
            await server.PayAsync(order.Id);
            await first.AcceptAsync((await first.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "the offer")).OfferId);
            await using var second = await server.OnlineCourierAtAsync("rd-reassign-b", Lat + 0.0004, Lon);

            // The reassignment reads the courier from Redis before its transaction; holding the order's row lock stops it at
            // its UPDATE, so Redis dies between that read and the commit.
            await using var blocker = await server.Db.OpenConnectionAsync(TestContext.Current.CancellationToken);
            await using var hold = await blocker.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var lockRow = new Npgsql.NpgsqlCommand("select 1 from orders where id = $1 for update", blocker, hold) { Parameters = { new() { Value = order.Id } } })
            {
                await lockRow.ExecuteScalarAsync(TestContext.Current.CancellationToken);
            }
            var assigning = server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/assign", "dispatcher", new { courierId = second.Id, reason = "flat tyre" });
            await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from pg_stat_activity where $1 = any(pg_blocking_pids(pid))", blocker.ProcessID),
                n => n == 1, "the reassignment waiting on the order's row lock");
            redis.Kill();
            await hold.RollbackAsync(TestContext.Current.CancellationToken);

            // Committed in PostgreSQL: the dispatcher is told so, not "not carried out" because a push after the commit failed.
            using var response = await assigning;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and courier_id = $2", order.Id, second.Id));

            // Both couriers' pushes were written in the reassignment's own transaction, so no crash or outage can lose them
            // before the relay hands them over.
            Assert.Equal(2, await server.ScalarAsync("select count(*) from outbox where order_id = $1 and kind in ($2, $3)",
                order.Id, "courier.job-assigned", "courier.order-reassigned"));
            await redis.RestartAsync();

            // The relay's pushes, sent as Redis returns, can reach nobody (published before the node's backplane subscribed
            // again: seen in 2 of 8 runs before the resync); once this node's subscriptions are live again it sends each
            // courier connected here the jobs they hold, so both learn of the move whatever became of those pushes.
            var firstHeld = await first.JobsInHand.NextAsync(timeout: TimeSpan.FromSeconds(30), what: "the first courier's jobs after Redis returned");
            Assert.DoesNotContain(firstHeld.Jobs, j => j.OrderId == order.Id);
            var secondHeld = await second.JobsInHand.NextAsync(timeout: TimeSpan.FromSeconds(30), what: "the second courier's jobs after Redis returned");
            // This Redis restarts empty, so until the resync writes the second courier back they have no position; the
            // recovery sweep does not take that for silence (it released the order in 1 of 30 runs before it waited).
            Assert.Contains(secondHeld.Jobs, j => j.OrderId == order.Id);
            Assert.Equal(0, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and note like '%has no position%'", order.Id));
        }
        finally
        {
            await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" });
        }
    }

    [Fact]
    public async Task A_reassignment_reaches_each_courier_once()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        await using var first = await server.OnlineCourierAtAsync("reassign-once-a", Lat, Lon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: Lat, pickupLon: Lon));
        try
        {
            await server.PayAsync(order.Id);
            await first.AcceptAsync((await first.Offers.NextAsync(o => o.OrderId == order.Id, TimeSpan.FromSeconds(20), "the offer")).OfferId);
            await using var second = await server.OnlineCourierAtAsync("reassign-once-b", Lat + 0.0004, Lon);

            using (var there = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/assign", "dispatcher", new { courierId = second.Id }))
                Assert.Equal(HttpStatusCode.OK, there.StatusCode);
            await second.Assigned.NextAsync(a => a.Job.OrderId == order.Id, what: "the job for the second courier");
            using (var back = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/assign", "dispatcher", new { courierId = first.Id }))
                Assert.Equal(HttpStatusCode.OK, back.StatusCode);
            // The move back's pushes go out only after the first move's events were handled, so a repeat of those came before them.
            await first.Assigned.NextAsync(a => a.Job.OrderId == order.Id, what: "the job back to the first courier");
            await second.Reassigned.NextAsync(r => r.OrderId == order.Id, what: "the notice to the second courier");

            Assert.Single(first.Reassigned.Drain(), r => r.OrderId == order.Id);
            Assert.DoesNotContain(second.Assigned.Drain(), a => a.Job.OrderId == order.Id);
        }
        finally
        {
            await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "test over" });
        }
    }
}
