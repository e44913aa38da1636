using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server;

/// <summary>Dispatch behaviour, bound from the "Dispatch" section.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>Seconds a courier has to answer an offer.</summary>
    [Range(1, 600)]
    public int OfferTimeoutSeconds { get; set; } = 20;

    /// <summary>How many couriers get the same offer at once (1 = sequential; more = broadcast, first accept wins).</summary>
    [Range(1, 50)]
    public int OfferFanout { get; set; } = 1;

    /// <summary>GEOSEARCH radii tried in turn, metres.</summary>
    [MinLength(1)]
    public int[] SearchRadiiMetres { get; set; } = [1_500, 3_000, 6_000, 12_000];

    /// <summary>Candidates fetched per radius (GEOSEARCH COUNT).</summary>
    [Range(1, 1000)]
    public int CandidateCount { get; set; } = 30;

    /// <summary>A courier silent this long is stale: not offered work and removed from the geo set.</summary>
    [Range(5, 3600)]
    public int StaleAfterSeconds { get; set; } = 90;

    /// <summary>How often the dispatch loop expires offers and retries unassigned orders, milliseconds.</summary>
    [Range(50, 60_000)]
    public int LoopIntervalMilliseconds { get; set; } = 500;

    /// <summary>Location pipeline flush interval, milliseconds (Redis batch and live pushes).</summary>
    [Range(10, 250)]
    public int FlushIntervalMilliseconds { get; set; } = 200;

    /// <summary>Speed used by the straight-line ETA, metres per second.</summary>
    [Range(0.5, 50)]
    public double EtaSpeedMetresPerSecond { get; set; } = 5.0;

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

    /// <summary>A courier this far from the pickup with the goods is in transit, metres.</summary>
    [Range(10, 5_000)]
    public double LeftPickupMetres { get; set; } = 100;

    /// <summary>Control-room boards get at most one frame per zone this often, milliseconds.</summary>
    [Range(100, 5_000)]
    public int BoardFrameMilliseconds { get; set; } = 400;

    /// <summary>Prefix of every Redis key, so several deployments or test classes can share one Redis.</summary>
    [Required]
    public string RedisPrefix { get; set; } = "dispatch";

    /// <summary>The zones served: name and boundary as WKT POLYGON((lon lat, ...)).</summary>
    [MinLength(1)]
    public List<ZoneOptions> Zones { get; set; } = [];
}

public sealed class ZoneOptions
{
    [Required]
    public string Name { get; set; } = "";

    [Required]
    public string Boundary { get; set; } = "";
}
