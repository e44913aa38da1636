using Dispatch.Server.Persistence;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// Outbox:Workers 2 on two nodes over one database, draining a backlog with the statistics production has (taken while
/// nearly every row was processed, so the planner expects about one pending row): once, with NOT EXISTS in the claim, this
/// made each claim scan the pending rows once per pending row and run into the command timeout, and the relay stalled.
/// </summary>
public sealed class OutboxWorkersTests(TwoWorkerOutboxServer server) : IClassFixture<TwoWorkerOutboxServer>
{
    private static readonly TimeSpan Drained = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_nodes_of_two_workers_drain_a_backlog_on_stale_statistics_each_event_once_and_in_commit_order()
    {
        server.RequireServices();
        await server.ScalarAsync("alter table outbox set (autovacuum_enabled = false)");
        var earlier = await OutboxSteps.WriteAsync(server.Db, orders: 500, steps: 2);
        await WaitProcessedAsync(earlier);
        await server.ScalarAsync("analyze outbox");

        // The backlog builds while the node's relay is held (a consumer down, a burst), then two nodes of two workers drain it.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Consumer.Before = (_, ct) => gate.Task.WaitAsync(ct);
        try
        {
            const int steps = 5;
            var written = await OutboxSteps.WriteAsync(server.Db, orders: 2_000, steps: steps);
            await using var second = await server.StartRelayAsync(new RecordingConsumer("node-b", server.Deliveries));
            var ids = written.Select(r => r.EventId).ToHashSet();
            // Node A's workers hold the batches they claimed until node B has handed over some of the rest: released at
            // once, node A alone could drain the backlog before node B's first claim on a busy machine.
            await Eventually.WaitForAsync(() => Task.FromResult(server.Deliveries.Count(d => d.Consumer == "node-b" && ids.Contains(d.Event.EventId))),
                n => n > 0, "node B handing over events while node A holds its claims", Drained);
            gate.SetResult();

            await Eventually.WaitForAsync(() => Task.FromResult(server.Deliveries.Where(d => ids.Contains(d.Event.EventId)).Select(d => d.Event.EventId).Distinct().Count()),
                n => n == ids.Count, $"all {ids.Count} events handed over", Drained);
            await WaitProcessedAsync(written);
            var mine = server.Deliveries.Where(d => ids.Contains(d.Event.EventId)).ToList();

            var twice = mine.GroupBy(d => d.Event.EventId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} event(s) handed over more than once, e.g. {twice.FirstOrDefault()}");
            Assert.Contains(mine, d => d.Consumer == "node-a");
            Assert.Contains(mine, d => d.Consumer == "node-b");
            foreach (var order in mine.GroupBy(d => d.Event.Read<OutboxSteps.StepDone>().Order))
            {
                var seen = order.OrderBy(d => d.Tick).Select(d => d.Event.Read<OutboxSteps.StepDone>().Number).ToList();
                Assert.True(seen.SequenceEqual(Enumerable.Range(1, steps)), $"order {order.Key} came as steps {string.Join(",", seen)}");
            }
        }
        finally
        {
            server.Consumer.Before = null;
            gate.TrySetResult();
        }
    }

    private async Task WaitProcessedAsync(IReadOnlyList<OutboxRecord> written) =>
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from outbox where event_id = any($1) and processed_at is null", written.Select(r => r.EventId).ToArray()),
            n => n == 0, "every event marked processed", Drained);
}
