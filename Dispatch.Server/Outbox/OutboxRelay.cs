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
public sealed partial class OutboxRelay(
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

    /// <summary>One claimed batch, handed to every consumer and marked processed. Returns the number of events.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var events = new List<OutboxEvent>();
        await using (var claim = new NpgsqlCommand("""
            select o.id, o.event_id, o.kind, o.order_id, o.created_at, o.payload::text from outbox o
            where o.processed_at is null
              and not exists (select 1 from outbox p where p.processed_at is null and p.order_id = o.order_id and p.id < o.id)
            order by o.id limit $1
            for update skip locked
            """, connection, tx) { Parameters = { new() { Value = options.Value.BatchSize } } })
        await using (var reader = await claim.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                events.Add(new OutboxEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetGuid(3),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5)));
            }
        }
        // A sibling worker's batch failed: leave this one to the retry after the back-off, rather than retry it at once.
        if (events.Count == 0 || _failing) return 0;
        foreach (var consumer in _consumers)
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
        await using (var done = new NpgsqlCommand("update outbox set processed_at = now() where id = any($1)", connection, tx)
            { Parameters = { new() { Value = events.Select(e => e.Sequence).ToArray() } } })
        {
            await done.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        metrics.OutboxRelayed(events.Count, clock.GetElapsedTime(started).TotalMilliseconds);
        return events.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox consumer {Consumer} failed on a batch of {Count} event(s) from #{First}; the batch will be handed over again")]
    private static partial void LogConsumerFailed(ILogger logger, string consumer, int count, long first, Exception ex);
}
