using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Dispatch.Core.Matching;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Write-behind store of a batch round's waiting decisions (table dispatch_decisions): why an order got no offer — waiting
/// for a courier who frees up, held for late commitment, nobody eligible. Offers' explanations commit with the offers
/// (<see cref="BatchOfferWriter"/>); these follow the round, off its time, one binary COPY per round. An order's decision
/// is stored only when its reason (the rule without the round's counts, times and distances) differs from the last one
/// stored for it on this node, so an order waiting a hundred rounds for the same courier has one row, not a hundred.
/// The explanation API waits for an order still queued here, so the board reads the decision the round just made.
/// What it costs: a node that dies between a round and its COPY loses those decisions (the next round's are stored,
/// since a new leader remembers nothing); a failed COPY is retried, then logged.
/// </summary>
internal sealed partial class DecisionLog(NpgsqlDataSource data, Common.ResilientLoop loops, IOptions<DispatchOptions> options, ILogger<DecisionLog> logger)
    : BackgroundService
{
    private const int Attempts = 3;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly Channel<QueuedRound> _queue = Channel.CreateUnbounded<QueuedRound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Guid, Task> _queued = new();

    // Per zone, the reason last stored for each order waiting in its last round; read and replaced by the loop alone.
    private readonly Dictionary<string, Dictionary<Guid, string>> _lastStored = new(StringComparer.Ordinal);

    /// <summary>
    /// Queues a round's waiting decisions: every order of the zone's round that got no offer. Orders not in it (offered,
    /// gone) are forgotten, so an order that waits again after an offer has its waiting decision stored again.
    /// </summary>
    public void EnqueueWaiting(string zone, DateTimeOffset at, IReadOnlyList<(Guid OrderId, DispatchExplanation Explanation)> waiting)
    {
        var round = new QueuedRound(zone, at, waiting, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        foreach (var (orderId, _) in waiting) _queued[orderId] = round.Stored.Task;
        if (_queue.Writer.TryWrite(round)) return;
        Forget(round);
        LogDropped(logger, waiting.Count, "the node is stopping");
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) until the order's queued decision, if it has one, is stored.</summary>
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
        var changed = Changed(round);
        if (changed.Count == 0)
        {
            Forget(round);
            return;
        }
        byte[][] stored;
        try
        {
            var costTerms = DispatchExplanation.CostTerms(options.Value.Policy);
            stored = [.. changed.Select(d => StoredExplanation.Write(d.Explanation, costTerms))];
        }
        catch (Exception ex)
        {
            LogFailed(logger, changed.Count, string.Join(", ", changed.Take(5).Select(d => d.OrderId)), ex);
            Forget(round);
            return;
        }
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                await CopyAsync(round.At, changed, stored);
                break;
            }
            // Any failure (a lost connection, a serialisation fault): the loop must go on storing later rounds.
            catch (Exception ex) when (attempt < Attempts)
            {
                LogRetry(logger, changed.Count, attempt, ex.Message);
                await Task.Delay(RetryAfter);
            }
            catch (Exception ex)
            {
                LogFailed(logger, changed.Count, string.Join(", ", changed.Take(5).Select(d => d.OrderId)), ex);
            }
        }
        Forget(round);
    }

    /// <summary>The round's decisions whose reason differs from the one last stored for the order; the zone's memory becomes this round's.</summary>
    private List<(Guid OrderId, DispatchExplanation Explanation)> Changed(QueuedRound round)
    {
        var before = _lastStored.GetValueOrDefault(round.Zone);
        var now = new Dictionary<Guid, string>(round.Decisions.Count);
        var changed = new List<(Guid, DispatchExplanation)>();
        foreach (var (orderId, explanation) in round.Decisions)
        {
            var reason = ReasonOf(explanation.Rule);
            now[orderId] = reason;
            if (before is null || !before.TryGetValue(orderId, out var last) || !string.Equals(last, reason, StringComparison.Ordinal))
                changed.Add((orderId, explanation));
        }
        _lastStored[round.Zone] = now;
        return changed;
    }

    /// <summary>
    /// What a waiting decision says, without what drifts each round: the round's header (its counts of orders and couriers)
    /// and every number (times, minutes, metres). A courier id (32 hex digits) is kept: another awaited courier is news.
    /// </summary>
    internal static string ReasonOf(string rule)
    {
        var from = rule.IndexOf(HeaderEnd, StringComparison.Ordinal);
        var reason = from < 0 ? rule : rule[(from + HeaderEnd.Length)..];
        return Numbers().Replace(reason, m => m.Groups["id"].Success ? m.Value : "#");
    }

    /// <summary>Where Core's batch rule header ends (<see cref="BatchMatcher"/>); without it the whole rule is compared.</summary>
    private const string HeaderEnd = "at most one trip per courier per round";

    [GeneratedRegex(@"(?<id>\b[0-9a-f]{32}\b)|\d+(?:[.:,]\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex Numbers();

    private async Task CopyAsync(DateTimeOffset at, List<(Guid OrderId, DispatchExplanation Explanation)> decisions, byte[][] stored)
    {
        await using var connection = await data.OpenConnectionAsync();
        await using var writer = await connection.BeginBinaryImportAsync("COPY dispatch_decisions (order_id, at, explanation) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < stored.Length; i++)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(decisions[i].OrderId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(at, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(stored[i], NpgsqlDbType.Bytea);
        }
        await writer.CompleteAsync();
    }

    private void Forget(QueuedRound round)
    {
        foreach (var (orderId, _) in round.Decisions) _queued.TryRemove(new KeyValuePair<Guid, Task>(orderId, round.Stored.Task));
        round.Stored.TrySetResult();
    }

    private sealed record QueuedRound(string Zone, DateTimeOffset At, IReadOnlyList<(Guid OrderId, DispatchExplanation Explanation)> Decisions, TaskCompletionSource Stored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} waiting decision(s) failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogRetry(ILogger logger, int count, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up storing {Count} waiting decision(s) (orders {First}…); GET /api/orders/{{id}}/dispatch will not show why they wait")]
    private static partial void LogFailed(ILogger logger, int count, string first, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped {Count} waiting decision(s): {Reason}")]
    private static partial void LogDropped(ILogger logger, int count, string reason);
}
