namespace Dispatch.Server.Dispatching;

/// <summary>
/// Where one batch round spent its time, milliseconds per phase, filled by <see cref="DispatchCoordinator.DispatchBatchAsync"/>
/// when the caller passes one (the batch benchmark does; the dispatch loop does not).
/// </summary>
public sealed class BatchRoundTimings
{
    /// <summary>Waiting orders, their past offers and the couriers holding a pending offer (PostgreSQL).</summary>
    public double LoadMilliseconds { get; set; }

    /// <summary>GEOSEARCH rings and courier states for every waiting order (Redis).</summary>
    public double CandidatesMilliseconds { get; set; }

    /// <summary><see cref="Dispatch.Core.Matching.BatchMatcher.Match"/>: ranking and the assignment (Core, no I/O).</summary>
    public double MatchMilliseconds { get; set; }

    /// <summary>Status changes, offers, decisions and events (PostgreSQL), then the pushes.</summary>
    public double OffersMilliseconds { get; set; }

    /// <summary>Part of <see cref="OffersMilliseconds"/>: serialising the round's explanations.</summary>
    public double ExplainMilliseconds { get; set; }

    /// <summary>Part of <see cref="OffersMilliseconds"/>: the round's transaction.</summary>
    public double WriteMilliseconds { get; set; }

    /// <summary>Part of <see cref="OffersMilliseconds"/>: the SignalR pushes.</summary>
    public double PushMilliseconds { get; set; }

    /// <summary>Ring searches of the round, one per order per ring tried (the locator may send two GEOSEARCHes for one: its quarter-radius probe, then the ring).</summary>
    public int GeoSearches { get; set; }

    public int Waiting { get; set; }

    public int Offers { get; set; }
}
