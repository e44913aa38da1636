namespace Dispatch.Server.Dispatching;

/// <summary>
/// Where one batch round spent its time, milliseconds per phase, filled by <see cref="BatchRound.RunAsync"/>
/// when the caller passes one (the batch benchmark does; the dispatch loop does not).
/// </summary>
internal sealed class BatchRoundTimings
{
    /// <summary>The gen-0 collection a round of many orders starts with (<see cref="DispatchOptions.CollectBeforeBatchRound"/>); 0 when none.</summary>
    public double CollectMilliseconds { get; set; }

    /// <summary>Waiting orders, their past offers and the couriers holding a pending offer (PostgreSQL).</summary>
    public double LoadMilliseconds { get; set; }

    /// <summary>Reading the zone's couriers (Redis) and the orders they hold (PostgreSQL), alongside <see cref="LoadMilliseconds"/>; 0 for a round of a few orders.</summary>
    public double ZoneMilliseconds { get; set; }

    /// <summary>Part of <see cref="ZoneMilliseconds"/>: the couriers' states from Redis (the rest is the orders they hold and their earnings).</summary>
    public double ZoneRedisMilliseconds { get; set; }

    /// <summary>What was left of <see cref="ZoneMilliseconds"/> once the load was done: the round waited this long for it.</summary>
    public double ZoneWaitMilliseconds { get; set; }

    /// <summary>Every order's candidates, ring by ring, and their ranking (<see cref="Dispatch.Core.Matching.CandidateRanker.Rank"/>, Core, on every core).</summary>
    public double CandidatesMilliseconds { get; set; }

    /// <summary>
    /// Part of <see cref="CandidatesMilliseconds"/>: the ranking, and in a round searched in the zone's grid the grid search
    /// too (Core both: each order is searched and ranked in one step); without the Redis reads of a round of few orders.
    /// </summary>
    public double RankMilliseconds { get; set; }

    /// <summary><see cref="Dispatch.Core.Matching.BatchMatcher.MatchRanked"/>: the assignment and the explanations (Core, no I/O).</summary>
    public double MatchMilliseconds { get; set; }

    /// <summary>Status changes, offers, events and the explanations (PostgreSQL, one transaction); the pushes follow from the outbox (<see cref="OfferPushes"/>).</summary>
    public double OffersMilliseconds { get; set; }

    /// <summary>Part of <see cref="OffersMilliseconds"/>: the round's transaction.</summary>
    public double WriteMilliseconds { get; set; }

    /// <summary>Part of <see cref="WriteMilliseconds"/>: building and running the moves' statement (moves, events, outbox rows, offers).</summary>
    public double WriteStatementMilliseconds { get; set; }

    /// <summary>Part of <see cref="WriteMilliseconds"/>: waiting, after the statement, for the explanations serialised on another thread.</summary>
    public double WriteExplanationsWaitMilliseconds { get; set; }

    /// <summary>Serialising the offers' explanations on another thread, beside the write's statement (CPU it takes from PostgreSQL on a small machine).</summary>
    public double ExplanationsSerialiseMilliseconds { get; set; }

    /// <summary>Ring searches of the round, one per order per ring tried (the locator may send two GEOSEARCHes for one: its quarter-radius probe, then the ring).</summary>
    public int GeoSearches { get; set; }

    /// <summary>Megabytes allocated (all threads) per phase, in phase order: what drives the collections that make slow rounds.</summary>
    public List<(string Phase, double Megabytes)> Allocated { get; } = [];

    // Not precise: a precise count suspends every managed thread, and waits for a thread pool thread deep in a ranking loop
    // (measured: 20–34 ms in a round whose ranking ran beside its read); megabytes per phase need no more than the imprecise one.
    private long _allocatedAtLap = GC.GetTotalAllocatedBytes(precise: false);

    /// <summary>Milliseconds since the last lap, restarting the watch, and what the phase allocated.</summary>
    public double Lap(System.Diagnostics.Stopwatch watch, string phase)
    {
        ArgumentNullException.ThrowIfNull(watch);
        var ms = watch.Elapsed.TotalMilliseconds;
        var now = GC.GetTotalAllocatedBytes(precise: false);
        Allocated.Add((phase, (now - _allocatedAtLap) / 1e6));
        _allocatedAtLap = now;
        watch.Restart();
        return ms;
    }

    public int Waiting { get; set; }

    public int Offers { get; set; }
}
