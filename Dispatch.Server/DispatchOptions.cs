using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server;

/// <summary>Dispatch behaviour, bound from the "Dispatch" section.</summary>
internal sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>Seconds a courier has to answer an offer.</summary>
    [Range(1, 600)]
    public int OfferTimeoutSeconds { get; set; } = 20;

    /// <summary>
    /// Batch strategy: a round of many waiting orders starts with a gen-0 collection (before its candidates are alive), so its
    /// own ~20–30 MB (1,000 orders) do not meet one mid-round. Off: on a quiet machine it added 7–10 ms to every such round's
    /// median with no gain shown at p99 (docs/benchmarks.md, "Batch tick"), and every thread pauses for it.
    /// </summary>
    public bool CollectBeforeBatchRound { get; set; }

    /// <summary>
    /// Batch strategy: a gen-0 collection between a zone's rounds of many waiting orders, on the dispatch loop's last tick
    /// before the next round is due (<see cref="Dispatching.BatchRound.CollectBetweenRounds"/>): the round's ~25 MB then start
    /// on a fresh gen-0 budget instead of meeting a collection mid-round, and the pause falls where no round runs and the
    /// last round's pushes are long sent.
    /// </summary>
    public bool CollectBetweenBatchRounds { get; set; } = true;

    /// <summary>
    /// Batch strategy: a round moving at least this many orders writes them in two halves, each its own transaction on its own
    /// connection, at the same time (PostgreSQL works on both on two cores); 0 = always one transaction.
    /// </summary>
    [Range(0, 1_000_000)]
    public int BatchWriteSplitFrom { get; set; } = 200;

    /// <summary>
    /// Batch strategy, a split write: each half commits only once the other is ready to, so the outbox relay, woken by the
    /// first commit, does not push one half's offers on the cores the other half's statement is still using.
    /// </summary>
    public bool BatchCommitTogether { get; set; } = true;

    /// <summary>Default dispatch strategy of every zone: sequential, broadcast or batch (a zone may name its own; admins change it at run time).</summary>
    [RegularExpression("^(sequential|broadcast|batch)$", ErrorMessage = "Dispatch:Strategy must be sequential, broadcast or batch.")]
    public string? Strategy { get; set; }

    /// <summary>Batch strategy: seconds between rounds that match every waiting order of the zone at once.</summary>
    [Range(1, 300)]
    public int BatchWindowSeconds { get; set; } = 5;

    /// <summary>How many couriers get the same offer at once under broadcast (with no strategy named, more than 1 means broadcast).</summary>
    [Range(1, 50)]
    public int OfferFanout { get; set; } = 1;

    /// <summary>
    /// GEOSEARCH radii tried in turn, metres, as configured; empty = <see cref="DefaultSearchRings"/>. Read
    /// <see cref="SearchRings"/>: the configuration binder adds configured array items to an initialised array instead of
    /// replacing it, so the default cannot live here.
    /// </summary>
    public int[] SearchRadiiMetres { get; set; } = [];

    public static readonly int[] DefaultSearchRings = [1_500, 3_000, 6_000, 12_000];

    /// <summary>The search rings, smallest first, each once.</summary>
    public int[] SearchRings => SearchRadiiMetres.Length == 0 ? DefaultSearchRings : [.. SearchRadiiMetres.Where(r => r > 0).Distinct().Order()];

    /// <summary>Candidates fetched per radius (GEOSEARCH COUNT).</summary>
    [Range(1, 1000)]
    public int CandidateCount { get; set; } = 30;

    /// <summary>A courier silent this long is stale: not offered work and removed from the geo set.</summary>
    [Range(5, 3600)]
    public int StaleAfterSeconds { get; set; } = 90;

    /// <summary>
    /// How often each node re-reads a zone's couriers whole from Redis in the background, to heal any courier-moves message
    /// it missed (<see cref="Fleet.ZoneCourierCache"/>).
    /// </summary>
    [Range(1, 3600)]
    public int ZoneCacheResyncSeconds { get; set; } = 30;

    /// <summary>How often the dispatch loop expires offers and retries unassigned orders, milliseconds.</summary>
    [Range(50, 60_000)]
    public int LoopIntervalMilliseconds { get; set; } = 500;

    /// <summary>
    /// How often each node's recovery sweep (also once at start) moves orders Offered with no pending offer, left so by a crash
    /// of older code or an outside change, back to dispatch, seconds.
    /// </summary>
    [Range(1, 3600)]
    public int RecoverySweepSeconds { get; set; } = 30;

    /// <summary>
    /// An order a courier accepted but has not picked up goes back to dispatch when the courier's last fix is older than
    /// this (they went offline or silent), seconds. After pickup the goods are with them: the board's alert and the
    /// customer's "delayed" message take over.
    /// </summary>
    [Range(1, 86_400)]
    public int AbandonedAfterSeconds { get; set; } = 600;

    /// <summary>
    /// A zone's dispatcher lease, seconds: one node at a time runs a zone's rounds, expiries, retries and sweeps, renewing
    /// every third of this; when it dies another node takes the zone over within about this long.
    /// </summary>
    [Range(1, 300)]
    public int ZoneLeaseSeconds { get; set; } = 6;

    /// <summary>False: this node serves couriers, customers and boards but never dispatches a zone (takes no zone lease).</summary>
    public bool DispatchesZones { get; set; } = true;

    /// <summary>An order still Placed (never paid) this long after it was created is cancelled by the recovery sweep, minutes.</summary>
    [Range(1, 10080)]
    public int UnpaidExpiryMinutes { get; set; } = 60;

    /// <summary>
    /// Bound of each location queue (fixes waiting for the flush, flushed fixes waiting for the track COPY), estimated bytes:
    /// past it the oldest fixes are shed and counted (dispatch.fixes.shed). 32 MiB ≈ 700,000 fixes.
    /// </summary>
    [Range(1_024, int.MaxValue)]
    public int LocationQueueBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Location pipeline flush interval, milliseconds (Redis batch and live pushes).</summary>
    [Range(10, 250)]
    public int FlushIntervalMilliseconds { get; set; } = 200;

    /// <summary>Speed used by the straight-line ETA, metres per second.</summary>
    [Range(0.5, 50)]
    public double EtaSpeedMetresPerSecond { get; set; } = 5.0;

    /// <summary>
    /// Scales every road speed of every vehicle profile (Dispatch.Core RoadProfile) for routes, ETAs and dispatch travel
    /// times: below 1 when couriers are measured slower than the typical speeds (stops, parking, lifts), above 1 when faster.
    /// </summary>
    [Range(0.2, 3)]
    public double CourierSpeedFactor { get; set; } = 1.0;

    /// <summary>How much worse a late delivery is than an early one by the same minutes; sets the ETA pad's quantile.</summary>
    [Range(0.1, 100)]
    public double EtaLatenessWeight { get; set; } = 3;

    /// <summary>Deliveries needed in a zone before its ETAs are padded.</summary>
    [Range(1, 100_000)]
    public int EtaPadMinSamples { get; set; } = 20;

    /// <summary>Most recent deliveries per zone the pad is measured on.</summary>
    [Range(10, 100_000)]
    public int EtaPadMaxSamples { get; set; } = 500;

    /// <summary>Only deliveries of the last this many days count for the pad.</summary>
    [Range(1, 365)]
    public int EtaPadWindowDays { get; set; } = 14;

    /// <summary>The pad never exceeds this, seconds.</summary>
    [Range(0, 3600)]
    public int EtaPadMaxSeconds { get; set; } = 900;

    /// <summary>A customer's tracking view gets the courier's position and ETA at most this often, milliseconds.</summary>
    [Range(100, 60_000)]
    public int TrackingPushMinIntervalMilliseconds { get; set; } = 1000;

    /// <summary>An ETA that differs this much from the customer's countdown is pushed even if the courier barely moved, seconds.</summary>
    [Range(1, 3600)]
    public int TrackingEtaChangeSeconds { get; set; } = 60;

    /// <summary>With nothing new, the tracking view still gets a push this often, seconds.</summary>
    [Range(1, 3600)]
    public int TrackingHeartbeatSeconds { get; set; } = 15;

    /// <summary>
    /// A node's mark in Redis that a customer on it watches an order lives this long unless renewed (every third of it), so
    /// the marks of a node that died are gone within it, seconds.
    /// </summary>
    [Range(3, 3600)]
    public int TrackingWatchSeconds { get; set; } = 30;

    /// <summary>
    /// After a Redis outage a node tells its tracking pages and boards to load everything again at most this many a second
    /// (boards first), so thousands of pages do not all query at once.
    /// </summary>
    [Range(10, 1_000_000)]
    public int ResyncRefreshPerSecond { get; set; } = 500;

    /// <summary>A courier this far from their planned route gets a new route, metres.</summary>
    [Range(20, 5_000)]
    public double RerouteAfterMetres { get; set; } = 80;

    /// <summary>At most one re-route per order in this many seconds.</summary>
    [Range(1, 600)]
    public int RerouteMinIntervalSeconds { get; set; } = 20;

    /// <summary>Pre-arrival: the customer is told when the courier is this close to the drop-off, metres…</summary>
    [Range(20, 5_000)]
    public double ArrivingMetres { get; set; } = 300;

    /// <summary>…or this many seconds away by the ETA.</summary>
    [Range(10, 3_600)]
    public int ArrivingSeconds { get; set; } = 120;

    /// <summary>Wrong delivery PINs an order takes before PIN entry locks until a dispatcher unlocks it.</summary>
    [Range(1, 20)]
    public int PinMaxWrongTries { get; set; } = 5;

    /// <summary>Delivery is refused when the courier's last fix is farther than this from the drop-off, metres (unless a dispatcher allows it).</summary>
    [Range(10, 5_000)]
    public double DeliveryMaxDistanceMetres { get; set; } = 150;

    /// <summary>A courier this far from the pickup with the goods is in transit, metres.</summary>
    [Range(10, 5_000)]
    public double LeftPickupMetres { get; set; } = 100;

    /// <summary>Control-room boards get at most one frame per zone this often, milliseconds.</summary>
    [Range(100, 5_000)]
    public int BoardFrameMilliseconds { get; set; } = 400;

    /// <summary>
    /// Country calling code given to national phone numbers (a leading trunk 0: "06 12 34 56 78" → +33 6 12 34 56 78). 33,
    /// France: Monaco's own numbers have no trunk 0, so a leading 0 in the demo zone is a French number.
    /// </summary>
    [Range(1, 999)]
    public int DefaultCountryCallingCode { get; set; } = 33;

    /// <summary>Prefix of every Redis key, so several deployments or test classes can share one Redis.</summary>
    [Required]
    public string RedisPrefix { get; set; } = "dispatch";

    /// <summary>The zones served: name and boundary as WKT POLYGON((lon lat, ...)).</summary>
    [MinLength(1)]
    public List<ZoneOptions> Zones { get; set; } = [];

    /// <summary>ISO 4217 code of every amount in cents (price caps, receipts, fees).</summary>
    [RegularExpression("^[A-Z]{3}$")]
    public string Currency { get; set; } = "EUR";

    /// <summary>Courier fee per delivered order: this base, cents …</summary>
    [Range(0, 100_000)]
    public int FeeBaseCents { get; set; } = 300;

    /// <summary>… plus this per kilometre from pickup to drop-off (great-circle), cents.</summary>
    [Range(0, 100_000)]
    public int FeePerKmCents { get; set; } = 80;

    /// <summary>Time zone (IANA id) whose midnight starts a courier's "today" for earnings.</summary>
    [Required]
    public string EarningsTimeZone { get; set; } = "Europe/Monaco";

    public Dispatch.Core.Earnings.FeeModel Fees => new(FeeBaseCents, FeePerKmCents);

    /// <summary>
    /// Minutes frozen goods may spend between pickup and hand-over: dispatch refuses a trip that would break it, and the
    /// control room's cold-chain alerts and the reports measure against the same budget.
    /// </summary>
    [Range(1, 600)]
    public int ColdChainBudgetMinutes { get; set; } = 30;

    public TimeSpan ColdChainBudget => TimeSpan.FromMinutes(ColdChainBudgetMinutes);

    /// <summary>How many seconds of a courier's time one second past the promised time is worth, when ranking couriers.</summary>
    public double DispatchLatenessWeight { get; set; } = 2;

    /// <summary>Seconds of cost per euro per online hour a courier earns above the other candidates (fairness); 0 turns it off.</summary>
    public double FairnessSecondsPerEuroPerHour { get; set; } = 20;

    /// <summary>Minutes before they must leave for goods that are not ready yet that a courier may be sent (late commitment).</summary>
    public int CommitAheadMinutes { get; set; } = 4;

    /// <summary>Minutes by which adding an order may delay the orders already on a courier's trip, in total.</summary>
    public int MaxAddedDelayMinutes { get; set; } = 12;

    /// <summary>Stops a bundled trip may still have to make (stops at one place count once); an order alone is never refused for its own.</summary>
    [Range(2, 50)]
    public int MaxTripStops { get; set; } = 6;

    /// <summary>
    /// Batch rounds: most orders of one pickup sent with one courier as one bundle offer, accepted or declined whole (1: one
    /// order per offer). 3, as the simulator's <c>live</c> policy: on the Grubhub benchmark 1 left 248 orders undelivered, 3 left 59.
    /// </summary>
    [Range(1, 10)]
    public int MaxBundle { get; set; } = Dispatch.Core.Simulation.LiveDispatchPolicy.BenchmarkMaxBundle;

    /// <summary>The cost model and feasibility limits Core ranks with.</summary>
    public Dispatch.Core.Matching.DispatchPolicy Policy => new()
    {
        ColdChainBudget = ColdChainBudget,
        LatenessWeight = DispatchLatenessWeight,
        FairnessSecondsPerEuroPerHour = FairnessSecondsPerEuroPerHour,
        CommitAhead = TimeSpan.FromMinutes(CommitAheadMinutes),
        MaxAddedDelay = TimeSpan.FromMinutes(MaxAddedDelayMinutes),
        MaxTripStops = MaxTripStops,
        MaxBundle = MaxBundle,
    };

    public bool EarningsTimeZoneIsKnown() => TimeZoneInfo.TryFindSystemTimeZoneById(EarningsTimeZone, out _);

    public bool ZoneTimeZonesAreKnown() => Zones.All(z => z.TimeZone is null || Dispatch.Server.Zones.ZoneTimeZones.Problem(z.TimeZone) is null);
}

internal sealed class ZoneOptions
{
    [Required]
    public string Name { get; set; } = "";

    [Required]
    public string Boundary { get; set; } = "";

    /// <summary>This zone's dispatch strategy (sequential, broadcast, batch); null = the default.</summary>
    [RegularExpression("^(sequential|broadcast|batch)$", ErrorMessage = "A zone's Strategy must be sequential, broadcast or batch.")]
    public string? Strategy { get; set; }

    /// <summary>IANA time zone of this zone's local days (earnings days, settlement); null = Dispatch:EarningsTimeZone.</summary>
    public string? TimeZone { get; set; }
}
