using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Dispatch.Core.Locations;

namespace Dispatch.Server;

/// <summary>The server's one Meter, plus running totals readable by the pipeline stats endpoint.</summary>
internal sealed class DispatchMetrics
{
    public const string MeterName = "Dispatch.Server";

    private readonly Counter<long> _fixesAccepted;
    private readonly Counter<long> _fixesRejected;
    private readonly Counter<long> _fixesFlushed;
    private readonly Counter<long> _trackPointsWritten;
    private readonly Histogram<double> _flushMilliseconds;
    private readonly Counter<long> _fixesShed;
    private readonly Counter<long> _offers;
    private readonly Histogram<double> _acceptSeconds;
    private readonly Histogram<double> _roundMilliseconds;
    private readonly Histogram<double> _pushLagSeconds;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _loopFailures;
    private readonly ConcurrentDictionary<string, long> _loopFailuresByLoop = new(StringComparer.Ordinal);
    private readonly Counter<long> _outboxRelayed;
    private readonly Histogram<double> _outboxBatchMilliseconds;
    private readonly Counter<long> _outboxPurged;
    private readonly Histogram<double> _outboxConsumerMilliseconds;
    private readonly Counter<long> _webhooksClaimed;
    private readonly Counter<long> _webhookSearches;
    private long _relayed;
    private long _outboxLagMilliseconds;
    private long _refusedByRateLimit;
    private long _accepted;
    private long _rejected;
    private long _flushed;
    private long _flushes;
    private long _trackPoints;
    private long _trackPointsDropped;
    private long _shed;
    private readonly Meter _meter;

    public DispatchMetrics(IMeterFactory meters)
    {
        var meter = _meter = meters.Create(MeterName);
        _fixesAccepted = meter.CreateCounter<long>("dispatch.fixes.accepted");
        _fixesRejected = meter.CreateCounter<long>("dispatch.fixes.rejected");
        _fixesFlushed = meter.CreateCounter<long>("dispatch.fixes.flushed", description: "Couriers' positions written to Redis");
        _trackPointsWritten = meter.CreateCounter<long>("dispatch.trackpoints.written");
        _flushMilliseconds = meter.CreateHistogram<double>("dispatch.flush.duration", unit: "ms");
        _fixesShed = meter.CreateCounter<long>("dispatch.fixes.shed", description: "Oldest fixes shed by a location queue over its byte bound, by queue");
        _offers = meter.CreateCounter<long>("dispatch.offers", description: "Offers made to couriers, by strategy (batch rounds) or one order at a time");
        _acceptSeconds = meter.CreateHistogram<double>("dispatch.offer.accept.latency", unit: "s", description: "From an offer made to its acceptance");
        _roundMilliseconds = meter.CreateHistogram<double>("dispatch.batch.round.duration", unit: "ms", description: "One zone's batch round, load to offers sent");
        _pushLagSeconds = meter.CreateHistogram<double>("dispatch.push.lag", unit: "s", description: "Age of a courier's newest fix when the flush writes and pushes it");
        _rateLimited = meter.CreateCounter<long>("dispatch.ratelimit.refused", description: "Calls refused by a rate limit, by limit");
        _loopFailures = meter.CreateCounter<long>("dispatch.loop.failures", description: "Unexpected failures of background loops, by loop");
        _outboxRelayed = meter.CreateCounter<long>("dispatch.outbox.relayed", description: "Outbox events handed to every consumer and marked processed");
        _outboxBatchMilliseconds = meter.CreateHistogram<double>("dispatch.outbox.batch.duration", unit: "ms", description: "Claim, hand-over and commit of one relayed batch");
        _outboxConsumerMilliseconds = meter.CreateHistogram<double>("dispatch.outbox.consumer.duration", unit: "ms", description: "One consumer's handling of one batch, by consumer");
        _webhooksClaimed = meter.CreateCounter<long>("dispatch.webhooks.claimed",
            description: "Webhook deliveries taken to send, by how: queued (as they were queued), handed_on (by the completion of the one before), waited (queued with no room, leased by id as room freed) or claim (found by a search)");
        _webhookSearches = meter.CreateCounter<long>("dispatch.webhooks.searches",
            description: "Runs of the webhook claim loop's search over every pending delivery (most deliveries are taken without one)");
        _outboxPurged = meter.CreateCounter<long>("dispatch.outbox.purged", description: "Processed outbox rows deleted after Outbox:KeepProcessedHours");
        meter.CreateObservableGauge("dispatch.outbox.lag", () => Interlocked.Read(ref _outboxLagMilliseconds) / 1000.0, unit: "s",
            description: "Age of the oldest outbox event not yet processed (0 when none)");
    }

    /// <summary>A call refused by the rate limit named <paramref name="limit"/>.</summary>
    public void RateLimited(string limit)
    {
        _rateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));
        Interlocked.Increment(ref _refusedByRateLimit);
    }

    /// <summary>An unexpected failure of the background loop named <paramref name="loop"/> (it backs off and goes on).</summary>
    public void LoopFailed(string loop)
    {
        _loopFailures.Add(1, new KeyValuePair<string, object?>("loop", loop));
        _loopFailuresByLoop.AddOrUpdate(loop, 1, static (_, n) => n + 1);
    }

    /// <summary>A batch of <paramref name="count"/> outbox events handed over and committed in <paramref name="milliseconds"/>.</summary>
    public void OutboxRelayed(int count, double milliseconds)
    {
        _outboxRelayed.Add(count);
        _outboxBatchMilliseconds.Record(milliseconds);
        Interlocked.Add(ref _relayed, count);
    }

    /// <summary>The oldest pending outbox event's age as last measured (zero when none is pending).</summary>
    public void OutboxLag(TimeSpan lag) => Interlocked.Exchange(ref _outboxLagMilliseconds, (long)lag.TotalMilliseconds);

    public void OutboxConsumed(string consumer, double milliseconds) =>
        _outboxConsumerMilliseconds.Record(milliseconds, new KeyValuePair<string, object?>("consumer", consumer));

    public void OutboxPurged(int rows) => _outboxPurged.Add(rows);

    public void WebhooksClaimed(int count, string by)
    {
        if (count > 0) _webhooksClaimed.Add(count, new KeyValuePair<string, object?>("by", by));
    }

    public void WebhookSearched() => _webhookSearches.Add(1);

    public void FixesAccepted(int count)
    {
        _fixesAccepted.Add(count);
        Interlocked.Add(ref _accepted, count);
    }

    public void FixRejected(FixRejection reason)
    {
        _fixesRejected.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));
        Interlocked.Increment(ref _rejected);
    }

    /// <summary>One flush wrote <paramref name="couriers"/> positions covering <paramref name="fixes"/> accepted fixes.</summary>
    public void Flushed(int couriers, int fixes, double milliseconds)
    {
        _fixesFlushed.Add(fixes);
        _flushMilliseconds.Record(milliseconds, new KeyValuePair<string, object?>("couriers", couriers));
        Interlocked.Add(ref _flushed, fixes);
        Interlocked.Increment(ref _flushes);
    }

    public void TrackPointsWritten(int count)
    {
        _trackPointsWritten.Add(count);
        Interlocked.Add(ref _trackPoints, count);
    }

    /// <summary><paramref name="count"/> fixes shed by the location queue named <paramref name="queue"/> (over its byte bound).</summary>
    public void FixesShed(string queue, int count)
    {
        _fixesShed.Add(count, new KeyValuePair<string, object?>("queue", queue));
        Interlocked.Add(ref _shed, count);
    }

    /// <summary><paramref name="count"/> offers made outside batch rounds (sequential or broadcast).</summary>
    public void OffersMade(int count) => _offers.Add(count, new KeyValuePair<string, object?>("mode", "single"));

    /// <summary>An offer accepted <paramref name="after"/> it was made.</summary>
    public void OfferAccepted(TimeSpan after) => _acceptSeconds.Record(after.TotalSeconds);

    /// <summary>A batch round of <paramref name="zone"/> that made <paramref name="offers"/> offers in <paramref name="milliseconds"/>.</summary>
    public void BatchRound(string zone, int offers, double milliseconds)
    {
        _offers.Add(offers, new KeyValuePair<string, object?>("mode", "batch"));
        _roundMilliseconds.Record(milliseconds, new KeyValuePair<string, object?>("zone", zone));
    }

    /// <summary>A courier's position pushed <paramref name="lag"/> after the device took it.</summary>
    public void PushLag(TimeSpan lag) => _pushLagSeconds.Record(Math.Max(0, lag.TotalSeconds));

    /// <summary>Reports the location queues' estimated bytes (read when metrics are collected).</summary>
    public void ObserveLocationQueues(Func<long> bytes) =>
        _meter.CreateObservableGauge("dispatch.location.queue.size", bytes, unit: "By", description: "Estimated bytes held by the location queues");

    public void TrackPointsDropped(int count) => Interlocked.Add(ref _trackPointsDropped, count);

    public PipelineStats Snapshot() => new(
        Interlocked.Read(ref _accepted),
        Interlocked.Read(ref _rejected),
        Interlocked.Read(ref _flushed),
        Interlocked.Read(ref _flushes),
        Interlocked.Read(ref _trackPoints),
        Interlocked.Read(ref _trackPointsDropped),
        Interlocked.Read(ref _refusedByRateLimit),
        new SortedDictionary<string, long>(_loopFailuresByLoop, StringComparer.Ordinal),
        Interlocked.Read(ref _relayed),
        Interlocked.Read(ref _outboxLagMilliseconds) / 1000.0,
        Interlocked.Read(ref _shed));
}

/// <summary>Running totals since the node started.</summary>
internal sealed record PipelineStats(long FixesAccepted, long FixesRejected, long FixesFlushedToRedis, long Flushes, long TrackPointsWritten, long TrackPointsDropped,
    long RefusedByRateLimit = 0, IReadOnlyDictionary<string, long>? LoopFailures = null, long OutboxRelayed = 0, double OutboxLagSeconds = 0,
    long FixesShed = 0);
