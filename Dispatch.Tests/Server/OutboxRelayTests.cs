using System.Collections.Concurrent;
using System.Diagnostics;
using Dispatch.Server;
using Dispatch.Server.Common;
using Dispatch.Server.Outbox;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dispatch.Tests.Server;

/// <summary>
/// The outbox relay on the real database: two relays share the work without handing an event over twice, an order's events
/// come in commit order, a crash between claim and commit hands the batch over again, a failing consumer is retried with
/// back-off, and a lost LISTEN connection is replaced.
/// </summary>
public sealed class OutboxRelayTests(OutboxServer server) : IClassFixture<OutboxServer>
{
    private static readonly TimeSpan Drained = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Two_relays_share_thousands_of_events_and_hand_each_over_exactly_once()
    {
        server.RequireServices();
        await using var second = await server.StartRelayAsync(new RecordingConsumer("node-b", server.Deliveries));
        var metrics = server.Services.GetRequiredService<DispatchMetrics>();
        var relayedBefore = metrics.Snapshot().OutboxRelayed;

        var written = await OutboxSteps.WriteAsync(server.Db, orders: 300, steps: 10);
        var mine = await WaitDeliveredAsync(written);
        Assert.Equal(written.Count, metrics.Snapshot().OutboxRelayed - relayedBefore); // both relays count into the node's metrics

        var twice = mine.GroupBy(d => d.Event.EventId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} event(s) handed over more than once, e.g. {twice.FirstOrDefault()}");
        Assert.Equal(written.Select(r => r.EventId).Order(), mine.Select(d => d.Event.EventId).Order());
        Assert.Contains(mine, d => d.Consumer == "node-a");
        Assert.Contains(mine, d => d.Consumer == "node-b");
        await WaitProcessedAsync(written);
    }

    [Fact]
    public async Task With_two_relays_an_order_s_events_arrive_in_commit_order_one_per_batch()
    {
        server.RequireServices();
        // A backlog first: the node's relay is held while few orders get many steps each, so every claim sees several
        // pending events of one order and must take only the first; then two relays drain it at once.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Consumer.Before = (_, ct) => gate.Task.WaitAsync(ct);
        try
        {
            var written = await OutboxSteps.WriteAsync(server.Db, orders: 20, steps: 50, writers: 4, perTransaction: 5);
            await using var second = await server.StartRelayAsync(new RecordingConsumer("node-b", server.Deliveries));
            gate.SetResult();
            var mine = await WaitDeliveredAsync(written);

            foreach (var order in mine.GroupBy(d => d.Event.Read<OutboxSteps.StepDone>().Order))
            {
                var steps = order.OrderBy(d => d.Tick).Select(d => d.Event.Read<OutboxSteps.StepDone>().Number).ToList();
                Assert.True(steps.SequenceEqual(Enumerable.Range(1, 50)), $"order {order.Key} came as steps {string.Join(",", steps)}");
                var crowded = order.GroupBy(d => d.Batch).FirstOrDefault(b => b.Count() > 1);
                Assert.True(crowded is null, $"order {order.Key} had {crowded?.Count()} events in one batch");
            }
        }
        finally
        {
            server.Consumer.Before = null;
            gate.TrySetResult();
        }
    }

    [Fact]
    public async Task A_relay_whose_connection_dies_after_its_claim_hands_the_batch_over_again()
    {
        server.RequireServices();
        var claimed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = Guid.Empty;
        server.Consumer.Before = async (events, ct) =>
        {
            if (events.Any(e => e.EventId == target) && claimed.TrySetResult()) await release.Task.WaitAsync(ct);
        };
        try
        {
            var record = OutboxWriter.Create(OutboxSteps.Kind, Guid.NewGuid(), new OutboxSteps.StepDone(Guid.NewGuid(), 1), DateTimeOffset.UtcNow);
            target = record.EventId;
            await OutboxSteps.InsertAsync(server.Db, [record]);
            await claimed.Task.WaitAsync(TimeSpan.FromSeconds(15));

            // The claiming transaction sits idle after its SELECT … FOR UPDATE SKIP LOCKED while the consumer works: cut it.
            var killed = await server.ScalarAsync("""
                select count(pg_terminate_backend(pid)) from pg_stat_activity
                where datname = current_database() and state = 'idle in transaction' and query ilike '%skip locked%'
                """);
            Assert.Equal(1, killed);
            release.SetResult();

            // Once in the cut transaction (the consumer had it, the commit failed), once more by the next claim.
            await Eventually.WaitForAsync(() => Task.FromResult(Count(target)), n => n >= 2, "the batch handed over again after the crash");
            await WaitProcessedAsync([record]);
            Assert.Equal(2, Count(target));
        }
        finally
        {
            server.Consumer.Before = null;
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task A_consumer_that_keeps_failing_is_retried_with_backoff_and_then_catches_up()
    {
        server.RequireServices();
        const int failures = 6;
        var metrics = server.Services.GetRequiredService<DispatchMetrics>();
        var failedBefore = metrics.Snapshot().LoopFailures?.GetValueOrDefault("outbox-relay") ?? 0;
        var attempts = new ConcurrentQueue<TimeSpan>();
        var clock = Stopwatch.StartNew();
        var target = Guid.Empty;
        server.Consumer.Before = (events, _) =>
        {
            if (!events.Any(e => e.EventId == target)) return Task.CompletedTask;
            attempts.Enqueue(clock.Elapsed);
            return attempts.Count <= failures ? throw new InjectedFaultException($"consumer down ({attempts.Count})") : Task.CompletedTask;
        };
        try
        {
            var first = OutboxWriter.Create(OutboxSteps.Kind, Guid.NewGuid(), new OutboxSteps.StepDone(Guid.NewGuid(), 1), DateTimeOffset.UtcNow);
            target = first.EventId;
            await OutboxSteps.InsertAsync(server.Db, [first]);
            await Eventually.WaitForAsync(() => Task.FromResult(attempts.Count), n => n >= 2, "the consumer failing");
            var meanwhile = await OutboxSteps.OneAsync(server.Db);

            await Eventually.WaitForAsync(() => Task.FromResult(Count(first.EventId) + Count(meanwhile.EventId)), n => n == 2, "both events once the consumer works again");
            await WaitProcessedAsync([first, meanwhile]);

            var times = attempts.ToArray();
            Assert.Equal(failures + 1, times.Length);
            var o = server.Services.GetRequiredService<IOptions<BackgroundLoopOptions>>().Value;
            for (var i = 1; i < times.Length; i++)
            {
                var pause = ResilientLoop.Pause(i, o);
                Assert.True(times[i] - times[i - 1] >= pause * 0.9, $"try {i + 1} came {(times[i] - times[i - 1]).TotalMilliseconds:F0} ms after try {i}; the back-off is {pause.TotalMilliseconds} ms");
            }
            var failedAfter = metrics.Snapshot().LoopFailures?.GetValueOrDefault("outbox-relay") ?? 0;
            Assert.Equal(failures, failedAfter - failedBefore);
            Assert.Contains(server.Log.Lines, l => l.Contains("Outbox consumer node-a failed", StringComparison.Ordinal) && l.Contains("consumer down (1)", StringComparison.Ordinal));
        }
        finally
        {
            server.Consumer.Before = null;
        }
    }

    [Fact]
    public async Task A_relay_whose_listening_connection_dies_listens_again_and_is_woken_by_the_next_commit()
    {
        server.RequireServices();
        const string listeners = "from pg_stat_activity where datname = current_database() and query = 'listen outbox'";
        var before = await Eventually.WaitForAsync(() => server.ScalarAsync($"select coalesce(min(pid), 0) {listeners}"), pid => pid != 0, "the relay listening");
        Assert.Equal(1, await server.ScalarAsync($"select count(pg_terminate_backend(pid)) {listeners}"));
        await Eventually.WaitForAsync(() => server.ScalarAsync($"select coalesce(min(pid), 0) {listeners}"), pid => pid != 0 && pid != before, "the relay listening again");

        // The poll is a minute away: only NOTIFY on the new connection brings this event within seconds.
        var record = await OutboxSteps.OneAsync(server.Db);
        await Eventually.WaitForAsync(() => Task.FromResult(Count(record.EventId)), n => n == 1, "the event, woken by NOTIFY", TimeSpan.FromSeconds(10));
    }

    private int Count(Guid eventId) => server.Deliveries.Count(d => d.Event.EventId == eventId);

    private async Task<List<OutboxDelivery>> WaitDeliveredAsync(IReadOnlyList<Dispatch.Server.Persistence.OutboxRecord> written)
    {
        var ids = written.Select(r => r.EventId).ToHashSet();
        await Eventually.WaitForAsync(() => Task.FromResult(server.Deliveries.Where(d => ids.Contains(d.Event.EventId)).Select(d => d.Event.EventId).Distinct().Count()),
            n => n == ids.Count, $"all {ids.Count} events handed over", Drained);
        await WaitProcessedAsync(written);
        return [.. server.Deliveries.Where(d => ids.Contains(d.Event.EventId))];
    }

    private async Task WaitProcessedAsync(IReadOnlyList<Dispatch.Server.Persistence.OutboxRecord> written) =>
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from outbox where event_id = any($1) and processed_at is null", written.Select(r => r.EventId).ToArray()),
            n => n == 0, "every event marked processed", Drained);
}
