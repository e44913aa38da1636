using System.Collections.Concurrent;
using System.Threading.Channels;
using Dispatch.Core.Matching;
using Npgsql;
using NpgsqlTypes;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Write-behind store of explanations (table dispatch_decisions), one binary COPY per queued batch. Batch rounds no longer
/// use it: they copy their explanations inside their own transaction (<see cref="BatchOfferWriter"/>), since a bench that
/// timed the store showed it cost more than the round, and behind the round it could be lost to a crash.
/// The explanation API waits for an order still queued on this node, so the board never reads an offer without its
/// reasons. What it costs: a node that dies between a commit and its COPY loses those explanations; a failed COPY is
/// retried, then logged with the orders it leaves unexplained.
/// </summary>
internal sealed partial class DecisionLog(NpgsqlDataSource data, Common.ResilientLoop loops, ILogger<DecisionLog> logger) : BackgroundService
{
    private const int Attempts = 3;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly Channel<QueuedRound> _queue = Channel.CreateUnbounded<QueuedRound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Guid, Task> _queued = new();

    /// <summary>Queues a round's decisions; they are stored within moments unless the node stops first.</summary>
    public void Enqueue(DateTimeOffset at, IReadOnlyList<(Guid OrderId, DispatchExplanation Explanation)> decisions)
    {
        if (decisions.Count == 0) return;
        var round = new QueuedRound(at, decisions, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        foreach (var (orderId, _) in decisions) _queued[orderId] = round.Stored.Task;
        if (_queue.Writer.TryWrite(round)) return;
        Forget(round);
        LogDropped(logger, decisions.Count, "the node is stopping");
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) until the order's queued explanation, if it has one, is stored.</summary>
    public async Task StoredAsync(Guid orderId, TimeSpan timeout, CancellationToken ct)
    {
        if (!_queued.TryGetValue(orderId, out var stored)) return;
        try
        {
            await stored.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // The caller reads what is stored so far.
        }
    }

    /// <summary>Completes once everything queued before the call is stored (or given up on).</summary>
    public Task DrainedAsync() => Task.WhenAll(_queued.Values.Distinct());

    // Not stoppingToken: the queue ends when StopAsync completes it, so what was queued is stored before the host stops.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        loops.RunAsync("decision-log", "storing dispatch explanations", _queue.Reader.WaitToReadAsync, StoreNextAsync, CancellationToken.None);

    private async ValueTask StoreNextAsync(CancellationToken ct)
    {
        if (_queue.Reader.TryRead(out var round)) await StoreAsync(round);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task StoreAsync(QueuedRound round)
    {
        string[] json;
        try
        {
            json = [.. round.Decisions.Select(d => ExplanationJson.WriteText(d.Explanation, DispatchExplanation.CostTerms()))];
        }
        catch (Exception ex)
        {
            LogFailed(logger, round.Decisions.Count, string.Join(", ", round.Decisions.Take(5).Select(d => d.OrderId)), ex);
            Forget(round);
            return;
        }
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                await CopyAsync(round, json);
                break;
            }
            // Any failure (a lost connection, a serialisation fault): the loop must go on storing later rounds.
            catch (Exception ex) when (attempt < Attempts)
            {
                LogRetry(logger, round.Decisions.Count, attempt, ex.Message);
                await Task.Delay(RetryAfter);
            }
            catch (Exception ex)
            {
                LogFailed(logger, round.Decisions.Count, string.Join(", ", round.Decisions.Take(5).Select(d => d.OrderId)), ex);
            }
        }
        Forget(round);
    }

    private async Task CopyAsync(QueuedRound round, string[] json)
    {
        await using var connection = await data.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync("COPY dispatch_decisions (order_id, at, explanation) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < json.Length; i++)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(round.Decisions[i].OrderId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(round.At, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(json[i], NpgsqlDbType.Json);
        }
        await writer.CompleteAsync();
    }

    private void Forget(QueuedRound round)
    {
        foreach (var (orderId, _) in round.Decisions) _queued.TryRemove(new KeyValuePair<Guid, Task>(orderId, round.Stored.Task));
        round.Stored.TrySetResult();
    }

    private sealed record QueuedRound(DateTimeOffset At, IReadOnlyList<(Guid OrderId, DispatchExplanation Explanation)> Decisions, TaskCompletionSource Stored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} dispatch explanation(s) failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogRetry(ILogger logger, int count, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up storing {Count} dispatch explanation(s) (orders {First}…); their offers stand, GET /api/orders/{{id}}/dispatch will not show this round")]
    private static partial void LogFailed(ILogger logger, int count, string first, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped {Count} dispatch explanation(s): {Reason}")]
    private static partial void LogDropped(ILogger logger, int count, string reason);
}
