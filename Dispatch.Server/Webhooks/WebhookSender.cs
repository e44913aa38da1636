using System.Collections.Concurrent;
using System.Threading.Channels;
using Dispatch.Core.Webhooks;
using Dispatch.Server.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Webhooks;

/// <summary>
/// Sends queued webhook deliveries, at least once and in order per (endpoint, order): only the first pending delivery of
/// an (endpoint, order) is ever sent, the next once the earlier is delivered or dead, never while it is in flight or in
/// back-off. Most deliveries are taken without a search: the consumer leases those with nothing pending before them in the
/// statement that queues them, and the statement that records a delivery delivered or dead leases the next one of its
/// order (<see cref="WebhookResults"/>); both hand them here. The claim loop finds the rest (queued while the one before
/// was being recorded, due again after a back-off, another node's after a crash, or queued when this node had no room)
/// with FOR UPDATE SKIP LOCKED and a lease, so nodes share the work and none is sent by two at a time. Deliveries are
/// POSTed <see cref="WebhookOptions.Parallelism"/> at a time; another loop records the results in batches (delivered,
/// retried later with back-off and full jitter, or dead after the last attempt). The claim loop is woken when deliveries are
/// queued on this node without a lease, when a recording may have left work for it (a retry, room freed, a delivery queued
/// during the recording), at the next retry time, and by a poll (which also covers another node's queuing that raced a recording here).
/// </summary>
internal sealed partial class WebhookSender(
    NpgsqlDataSource dataSource,
    WebhookPoster poster,
    IOptions<WebhookOptions> options,
    ResilientLoop loops,
    DispatchMetrics metrics,
    TimeProvider clock,
    ILogger<WebhookSender> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _slots = new(options.Value.Parallelism, options.Value.Parallelism);
    private readonly Channel<DeliveryResult> _results = Channel.CreateUnbounded<DeliveryResult>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<DeliveryResult> _toRecord = [];
    private int _inFlight; // claimed (or reserved to be) by this node and not yet recorded
    private long _parked; // times this node queued deliveries it did not lease: only the claim loop (or a hand-on) takes those
    private volatile bool _starved; // the claim loop stopped for want of room, with more perhaps due: a recording that frees room wakes it
    private CancellationToken _stopping;
    private volatile bool _started;
    private DateTimeOffset _nextPrune;

    // Free deliveries (the first pending one of their endpoint and order) queued on this node when it had no room to lease
    // them: leased by primary key as room frees, in the order queued, so they need no search over every pending delivery.
    // Only their ids are kept; ids lost to a crash or a failed lease leave pending rows that a search finds.
    private readonly ConcurrentQueue<long> _waiting = new();
    private volatile bool _searchWanted = true; // at a start, after a poll or a retry's time, or when something may be due that no id here names
    private bool _looked; // the first round after a start looks at once: work may have waited for us
    private DateTimeOffset? _retryAt; // the soonest end of a back-off, as the last search that came up short found it

    /// <summary>
    /// Claimed but unrecorded deliveries are kept at most this many, so a claim's lease covers its wait for a slot even if
    /// every POST ahead of it runs to the timeout (a round of Parallelism each), with a round to spare: 5 rounds at the
    /// default 10 s timeout. Twice Parallelism was the cap once; in-flight deliveries include those whose results wait to be
    /// recorded, so it held the bench (Parallelism 64) to 128 at a time, and most of each relay batch of 500 went to the claim loop.
    /// </summary>
    private int MaxInFlight => options.Value.Parallelism * Math.Max(2, (int)(options.Value.Lease / options.Value.Timeout) - 1);

    /// <summary>
    /// Searches wait until this much room is free after running short: a search costs a pass over every pending delivery
    /// whether it takes 5 or 200, and the deliveries in flight keep the POSTs busy meanwhile.
    /// </summary>
    private int SearchRoom => Math.Max(1, Math.Min(options.Value.BatchSize, MaxInFlight / 4));

    /// <summary>Free deliveries kept waiting for room by id at most this many; beyond it, a search finds them.</summary>
    private int MaxWaiting => Math.Max(MaxInFlight * 8, 1_000);

    /// <summary>
    /// Deliveries were queued here without a lease. <paramref name="free"/> ones (first of their order, no room for them) wait
    /// here by id and are leased by primary key as room frees. When <paramref name="behind"/>, others wait behind an earlier one
    /// of their order, which its recording hands on: a recording running meanwhile is told it may not have seen them
    /// (<see cref="RecordResultsAsync"/>).
    /// </summary>
    public void Parked(IReadOnlyCollection<long> free, bool behind)
    {
        if (behind) Interlocked.Increment(ref _parked);
        if (free.Count == 0) return;
        if (_waiting.Count + free.Count <= MaxWaiting)
        {
            foreach (var id in free) _waiting.Enqueue(id);
            Signal();
        }
        else
        {
            Wake();
        }
    }

    /// <summary>Wakes the claim loop now to search the pending deliveries (deliveries were queued or redelivered).</summary>
    public void Wake()
    {
        _searchWanted = true;
        Signal();
    }

    /// <summary>Wakes the claim loop, which leases the free deliveries waiting here by id and searches only if a search is wanted.</summary>
    private void Signal()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); } catch (SemaphoreFullException) { }
        }
    }

    /// <summary>
    /// Takes up to <paramref name="wanted"/> free places among this node's deliveries in flight, for deliveries leased as they
    /// are queued; each is either given back to <see cref="Send"/> or returned with <see cref="Unreserve"/>. None before the
    /// sender runs or once it stops.
    /// </summary>
    public int Reserve(int wanted)
    {
        while (_started && !_stopping.IsCancellationRequested)
        {
            var current = Volatile.Read(ref _inFlight);
            var take = Math.Min(MaxInFlight - current, wanted);
            if (take <= 0) return 0;
            if (Interlocked.CompareExchange(ref _inFlight, current + take, current) == current) return take;
        }
        return 0;
    }

    /// <summary>Gives back reserved places that were not used.</summary>
    public void Unreserve(int count)
    {
        if (count > 0) Interlocked.Add(ref _inFlight, -count);
    }

    /// <summary>
    /// Sends a delivery leased elsewhere (as it was queued) in a place taken with <see cref="Reserve"/>; on the thread pool, so
    /// the relay's batch does not wait for the POSTs to be written.
    /// </summary>
    public void Send(ClaimedDelivery delivery) => _ = Task.Run(() => SendAsync(delivery, _stopping));

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        _started = true;
        return Task.WhenAll(
            loops.RunAsync("webhook-claim", "claiming due webhook deliveries", WaitAsync, ClaimAndSendAsync, stoppingToken),
            loops.RunAsync("webhook-results", "recording webhook delivery results", WaitForResultsAsync, RecordResultsAsync, stoppingToken));
    }

    /// <summary>Until woken, the poll, or the soonest retry; a wait that runs out wants a search (other nodes' work, a back-off's end).</summary>
    private async ValueTask<bool> WaitAsync(CancellationToken ct)
    {
        if (!_looked)
        {
            _looked = true;
            return true;
        }
        var wait = TimeSpan.FromMilliseconds(options.Value.PollMilliseconds);
        var untilRetry = _retryAt - clock.GetUtcNow();
        if (untilRetry < wait) wait = untilRetry > TimeSpan.FromMilliseconds(10) ? untilRetry.Value : TimeSpan.FromMilliseconds(10);
        if (!await _wake.WaitAsync(wait, ct)) _searchWanted = true;
        return true;
    }

    /// <summary>
    /// Fills the room in flight: first with the free deliveries waiting here by id, then, if a search is wanted, with what a
    /// search finds; after a search that came up short, works out when the soonest retry is due.
    /// </summary>
    private async ValueTask ClaimAndSendAsync(CancellationToken ct)
    {
        var o = options.Value;
        try
        {
            while (true)
            {
                var room = Math.Min(MaxInFlight - Volatile.Read(ref _inFlight), o.BatchSize);
                if (room <= 0)
                {
                    _starved = true; // the recording that frees room wakes us
                    return;
                }
                _starved = false;
                if (!_waiting.IsEmpty)
                {
                    var ids = new List<long>(Math.Min(room, _waiting.Count));
                    while (ids.Count < room && _waiting.TryDequeue(out var id)) ids.Add(id);
                    var leased = await LeaseWaitingAsync(ids, ct);
                    metrics.WebhooksClaimed(leased.Count, "waited");
                    StartSending(leased, ct);
                    continue;
                }
                if (!_searchWanted) return;
                _searchWanted = false;
                var claimed = await ClaimAsync(room, ct);
                metrics.WebhookSearched();
                metrics.WebhooksClaimed(claimed.Count, "claim");
                StartSending(claimed, ct);
                if (claimed.Count < room) break;
                _searchWanted = true; // as many as there was room for: more may be due
            }
        }
        catch
        {
            _searchWanted = true; // ids taken from the queue and not leased are left to a search
            throw;
        }
        await PruneAsync(ct);
        // Nothing more is due: sleep until the soonest retry (in-flight ones wake us when recorded, other nodes' work by the poll).
        _retryAt = await NextRetryAtAsync(ct);
    }

    private void StartSending(List<ClaimedDelivery> claimed, CancellationToken ct)
    {
        foreach (var d in claimed)
        {
            Interlocked.Increment(ref _inFlight);
            _ = SendAsync(d, ct);
        }
    }

    /// <summary>
    /// Leases, by primary key, those of <paramref name="ids"/> still pending, due, unleased and the first pending one of their
    /// (endpoint, order): free when queued, they stay so unless a redelivery put an earlier one back, or another node's search
    /// took them meanwhile. The earlier-one check is a scalar subquery with LIMIT, an index probe per row (as in the queuing).
    /// </summary>
    private async Task<List<ClaimedDelivery>> LeaseWaitingAsync(List<long> ids, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var lease = dataSource.CreateCommand("""
            with locked as (
              select d.id from webhook_deliveries d
              where d.id = any($1) and d.state <= 0 and d.next_attempt_at <= $2 and (d.leased_until is null or d.leased_until <= $2)
                and (d.order_id is null
                     or (select p.id from webhook_deliveries p
                         where p.state = 0 and p.endpoint_id = d.endpoint_id and p.order_id = d.order_id and p.sequence < d.sequence limit 1) is null)
              for update skip locked)
            update webhook_deliveries d set leased_until = $3, attempts = d.attempts + 1, last_attempt_at = $2
            from locked, webhook_endpoints w
            where d.id = locked.id and w.id = d.endpoint_id
            returning d.id, d.endpoint_id, d.event_id, d.event_type, d.body, d.attempts, w.url, w.secret_encrypted,
                      w.previous_secret_encrypted, w.previous_secret_until
            """);
        lease.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        lease.Parameters.Add(new NpgsqlParameter { Value = now });
        lease.Parameters.Add(new NpgsqlParameter { Value = now + options.Value.Lease });
        var leased = new List<ClaimedDelivery>();
        await using var reader = await lease.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) leased.Add(ClaimedDelivery.Read(reader));
        return leased;
    }

    /// <summary>
    /// Due deliveries that are the first pending one of their (endpoint, order), claimed with a lease. The first of each is
    /// found by one ordered pass over the pending rows (a window function), and the chosen rows are then locked by primary key:
    /// no join the planner can turn quadratic. NOT EXISTS was one: its statistics (nearly every delivery delivered) see about
    /// one pending row, so it scanned every pending delivery for each pending delivery, and a backlog of 8,000 made each claim
    /// take over 20 s. The locking step says "state &lt;= 0", not "state = 0", so no pending-only index matches it and the
    /// planner probes the key; its conditions are checked again on the locked row, so one claimed by another node meanwhile is left.
    /// </summary>
    private async Task<List<ClaimedDelivery>> ClaimAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var claim = dataSource.CreateCommand("""
            with pending as (
              select id, order_id, next_attempt_at, leased_until,
                     row_number() over (partition by endpoint_id, order_id order by sequence) as n
              from webhook_deliveries where state = 0),
            due as (
              select id from pending
              where (order_id is null or n = 1) and next_attempt_at <= $1 and (leased_until is null or leased_until <= $1)
              order by next_attempt_at, id
              limit $2),
            locked as (
              select d.id from webhook_deliveries d
              where d.id = any(array(select id from due)) and d.state <= 0 and d.next_attempt_at <= $1 and (d.leased_until is null or d.leased_until <= $1)
              for update skip locked)
            update webhook_deliveries d set leased_until = $3, attempts = d.attempts + 1, last_attempt_at = $1
            from locked, webhook_endpoints w
            where d.id = locked.id and w.id = d.endpoint_id
            returning d.id, d.endpoint_id, d.event_id, d.event_type, d.body, d.attempts, w.url, w.secret_encrypted,
                      w.previous_secret_encrypted, w.previous_secret_until
            """);
        claim.Parameters.Add(new NpgsqlParameter { Value = now });
        claim.Parameters.Add(new NpgsqlParameter { Value = limit });
        claim.Parameters.Add(new NpgsqlParameter { Value = now + options.Value.Lease });
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await claim.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) claimed.Add(ClaimedDelivery.Read(reader));
        return claimed;
    }

    /// <summary>The soonest time a delivery in back-off is due (pending ones already due are blocked behind one of these or in flight).</summary>
    private async Task<DateTimeOffset?> NextRetryAtAsync(CancellationToken ct)
    {
        await using var next = dataSource.CreateCommand("select min(next_attempt_at) from webhook_deliveries where state = 0 and next_attempt_at > $1");
        next.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        return await next.ExecuteScalarAsync(ct) is DateTimeOffset at ? at : null;
    }

    /// <summary>Hourly, when idle: drops delivered deliveries older than <see cref="WebhookOptions.KeepDeliveredDays"/> from the log.</summary>
    private async Task PruneAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (now < _nextPrune) return;
        _nextPrune = now.AddHours(1);
        await using var prune = dataSource.CreateCommand("delete from webhook_deliveries where state = 1 and delivered_at < $1");
        prune.Parameters.Add(new NpgsqlParameter { Value = now.AddDays(-options.Value.KeepDeliveredDays) });
        await prune.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One delivery: waits for a slot, POSTs, hands the result to the recording loop. Never throws.</summary>
    private async Task SendAsync(ClaimedDelivery d, CancellationToken ct)
    {
        DeliveryResult result;
        try
        {
            await _slots.WaitAsync(ct);
            try
            {
                result = await poster.PostAsync(d, ct);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // shutting down: the lease runs out and the delivery is sent again (by a node that is up)
        }
        catch (Exception ex)
        {
            LogSendFailed(logger, d.Id, d.EndpointId, ex);
            result = new DeliveryResult(d, false, null, $"not sent: {ex.GetType().Name}", clock.GetUtcNow());
        }
        _results.Writer.TryWrite(result);
    }

    private async ValueTask<bool> WaitForResultsAsync(CancellationToken ct) => await _results.Reader.WaitToReadAsync(ct);

    /// <summary>
    /// Records every result waiting, in one statement that also leases the next delivery of each order whose delivery ended,
    /// and sends those in the places the ended ones leave. Kept across a failed try, so none is lost to a database hiccup.
    /// </summary>
    private async ValueTask RecordResultsAsync(CancellationToken ct)
    {
        while (_toRecord.Count < 2_000 && _results.Reader.TryRead(out var r)) _toRecord.Add(r);
        if (_toRecord.Count == 0) return;
        var o = options.Value;
        var outcomes = new DeliveryOutcome[_toRecord.Count];
        var retried = false;
        for (var i = 0; i < _toRecord.Count; i++)
        {
            var r = _toRecord[i];
            if (r.Delivered)
            {
                outcomes[i] = new(r, 1, r.At);
                continue;
            }
            retried = true;
            var delay = WebhookRetry.NextDelay(r.Delivery.Attempt, TimeSpan.FromMilliseconds(o.RetryFirstMilliseconds), TimeSpan.FromSeconds(o.RetryMaxSeconds),
                o.MaxAttempts, Random.Shared.NextDouble());
            if (delay is { } wait)
            {
                outcomes[i] = new(r, 0, r.At + wait);
                LogRetrying(logger, r.Delivery.Id, r.Delivery.EndpointId, r.Delivery.Attempt, r.Error ?? "", wait.TotalMilliseconds);
            }
            else
            {
                outcomes[i] = new(r, 2, r.At);
                LogDead(logger, r.Delivery.Id, r.Delivery.EventId, r.Delivery.EndpointId, r.Delivery.Attempt, r.Error ?? "");
            }
        }
        var now = clock.GetUtcNow();
        var parked = Interlocked.Read(ref _parked);
        var next = await WebhookResults.RecordAsync(dataSource, outcomes, now, now + o.Lease, ct);
        _toRecord.Clear();
        Interlocked.Add(ref _inFlight, next.Count - outcomes.Length);
        metrics.WebhooksClaimed(next.Count, "handed_on");
        foreach (var d in next) _ = SendAsync(d, ct);
        // The claim loop's search reads every pending delivery, so it is asked for only when this recording may have left work
        // that no id waiting here names: a retry (its due time), or a delivery parked here behind one of its order during the
        // statement (whose snapshot may not hold it, so it handed on nothing). What was parked before the statement began, it
        // saw and handed on. Room freed while the loop was short of it wakes the loop for what it had left: the free deliveries
        // waiting by id, or a search it still wanted (once there is room enough for one).
        if (retried || Interlocked.Read(ref _parked) != parked)
        {
            Wake();
        }
        else if (_starved)
        {
            var room = MaxInFlight - Volatile.Read(ref _inFlight);
            if (!_waiting.IsEmpty ? room >= Math.Min(SearchRoom, _waiting.Count) : _searchWanted && room >= SearchRoom) Signal();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} failed on attempt {Attempt} ({Error}); next try in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, long deliveryId, Guid endpointId, int attempt, string error, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} of event {EventId} to endpoint {EndpointId} is dead after {Attempts} attempt(s) (last: {Error}); it is sent again only if redelivered")]
    private static partial void LogDead(ILogger logger, long deliveryId, Guid eventId, Guid endpointId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} to endpoint {EndpointId} could not be sent")]
    private static partial void LogSendFailed(ILogger logger, long deliveryId, Guid endpointId, Exception ex);
}
