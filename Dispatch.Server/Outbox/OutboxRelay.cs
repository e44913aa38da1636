using Dispatch.Core.Outbox;
using Dispatch.Server.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Outbox;

/// <summary>
/// Hands committed outbox rows to every <see cref="IOutboxConsumer"/>, on every node at once: each claims rows with
/// FOR UPDATE SKIP LOCKED, so nodes share the work and no row is handled by two at a time; a row is marked processed in the
/// claiming transaction after all consumers had it, so a crash before that hands it over again (consumers are idempotent).
/// An order's next event is not claimed while an earlier one is still to do (by any node), so its events go out in order.
/// Woken by NOTIFY outbox (sent at commit by the table's trigger) and by a poll as a fallback.
/// </summary>
internal sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IEnumerable<IOutboxConsumer> consumers,
    IOptions<OutboxOptions> options,
    ResilientLoop loops,
    DispatchMetrics metrics,
    TimeProvider clock,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly IOutboxConsumer[] _consumers = [.. consumers];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private volatile bool _failing; // a worker of this round failed: the others stop claiming until the loop's back-off is over

    /// <summary>Wakes the relay now (in-process producers may call it; NOTIFY does it for every node).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); } catch (SemaphoreFullException) { }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        loops.RunAsync("outbox-listen", "listening for outbox notifications", _ => ValueTask.FromResult(true), ListenAsync, stoppingToken),
        loops.RunAsync("outbox-relay", "handing outbox events to their consumers", WaitAsync, DrainAsync, stoppingToken));

    private async ValueTask<bool> WaitAsync(CancellationToken ct)
    {
        await _wake.WaitAsync(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), ct);
        return true;
    }

    /// <summary>Holds a connection that LISTENs; each notification wakes the relay. Returns (and is restarted) when the connection breaks.</summary>
    private async ValueTask ListenAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        connection.Notification += (_, _) => Wake();
        await using (var listen = new NpgsqlCommand("listen outbox", connection)) await listen.ExecuteNonQueryAsync(ct);
        Wake(); // anything committed before we listened
        try
        {
            while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
        }
        finally
        {
            // A pooled connection keeps its LISTEN until reused; a stopping relay leaves none behind (a broken one is not pooled).
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await using var unlisten = new NpgsqlCommand("unlisten outbox", connection);
                await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Claims and hands over batches until none is left, <see cref="OutboxOptions.Workers"/> at once: while one batch is with
    /// the consumers or committing, another is claimed (SKIP LOCKED keeps them apart, and an order's next event is claimable
    /// only once the batch holding its earlier one has committed, so order per order holds).
    /// </summary>
    private async ValueTask DrainAsync(CancellationToken ct)
    {
        _failing = false;
        var workers = options.Value.Workers;
        if (workers == 1)
        {
            while (await RelayBatchAsync(ct) > 0) { }
            return;
        }
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            try
            {
                while (!_failing && await RelayBatchAsync(ct) > 0) { }
            }
            catch
            {
                _failing = true;
                throw;
            }
        }, ct)));
    }

    /// <summary>Pending rows read per claim to find the first of each order: a few batches' worth, so one busy order leaves room for others.</summary>
    private int Window => options.Value.BatchSize * 4;

    /// <summary>One claimed batch, handed to every consumer and marked processed. Returns the number of events.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var events = await ClaimAsync(connection, tx, ct);
        // A sibling worker's batch failed: leave this one to the retry after the back-off, rather than retry it at once.
        if (events.Count == 0 || _failing) return 0;
        // The consumers are independent of each other, so they have the batch at once: the batch takes the slowest one's time, not the sum.
        await Task.WhenAll(_consumers.Select(consumer => HandAsync(consumer, events, ct)));
        await using (var done = new NpgsqlCommand("update outbox set processed_at = now() where id = any($1)", connection, tx)
            { Parameters = { new() { Value = events.Select(e => e.Sequence).ToArray() } } })
        {
            await done.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        metrics.OutboxRelayed(events.Count, clock.GetElapsedTime(started).TotalMilliseconds);
        return events.Count;
    }

    private async Task HandAsync(IOutboxConsumer consumer, List<OutboxEvent> events, CancellationToken ct)
    {
        try
        {
            var handing = clock.GetTimestamp();
            await consumer.HandleAsync(events, ct);
            metrics.OutboxConsumed(consumer.Name, clock.GetElapsedTime(handing).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failing = true; // before the rollback frees the batch, so no sibling worker claims it again at once
            LogConsumerFailed(logger, consumer.Name, events.Count, events[0].Sequence, ex);
            throw; // the batch stays to do; the loop backs off and it is claimed again
        }
    }

    /// <summary>
    /// Claims the first pending row of each order in a window of the oldest pending rows, in two plain statements: read the
    /// window (no lock), pick (<see cref="FirstPerOrder"/>), lock up to a batch of the picked rows by primary key with SKIP
    /// LOCKED, keeping those still pending. The first row of an order in flight elsewhere is locked, so skipped, and its later rows were not picked.
    /// Not one statement with NOT EXISTS: PostgreSQL makes that an anti join, and its statistics (taken when nearly every row is
    /// processed) see about one pending row, so it planned a scan of every pending row for each pending row; a backlog of
    /// thousands then took every claim to the command timeout (the stall blamed on Outbox:Workers 2). The lock statement names
    /// no pending-only condition on purpose, so the planner cannot pick a pending-only index there and must probe the key.
    /// </summary>
    private async Task<List<OutboxEvent>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        var window = new List<(long, Guid?)>();
        await using (var read = new NpgsqlCommand("select id, order_id from outbox where processed_at is null order by id limit $1", connection, tx)
            { Parameters = { new() { Value = Window } } })
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) window.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetGuid(1)));
        }
        var events = new List<OutboxEvent>();
        if (window.Count == 0) return events;
        // Every first row of the window, so rows another worker holds are skipped for the next ones, up to a batch.
        var picked = FirstPerOrder.Pick(window, window.Count);
        await using var claim = new NpgsqlCommand("""
            select id, event_id, kind, order_id, created_at, payload::text, processed_at is null from outbox
            where id = any($1) order by id limit $2
            for update skip locked
            """, connection, tx) { Parameters = { new() { Value = picked.ToArray() }, new() { Value = options.Value.BatchSize } } };
        await using var rows = await claim.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            if (!rows.GetBoolean(6)) continue; // processed by another relay since the window was read
            events.Add(new OutboxEvent(rows.GetInt64(0), rows.GetGuid(1), rows.GetString(2), rows.IsDBNull(3) ? null : rows.GetGuid(3),
                rows.GetFieldValue<DateTimeOffset>(4), rows.GetString(5)));
        }
        return events;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox consumer {Consumer} failed on a batch of {Count} event(s) from #{First}; the batch will be handed over again")]
    private static partial void LogConsumerFailed(ILogger logger, string consumer, int count, long first, Exception ex);
}
