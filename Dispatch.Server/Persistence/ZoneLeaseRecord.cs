namespace Dispatch.Server.Persistence;

/// <summary>
/// Which node dispatches a zone (table zone_leases): the holder renews <see cref="ExpiresAt"/>; another node takes the zone
/// over only once it has expired, and every takeover raises <see cref="Token"/>, the fencing token the dispatcher's writes check.
/// </summary>
internal sealed class ZoneLeaseRecord
{
    public string Zone { get; set; } = "";

    /// <summary>The node process holding the lease ("host:pid:random").</summary>
    public string Holder { get; set; } = "";

    public long Token { get; set; }

    /// <summary>Database time (now() of the renewing statement), so nodes' clocks do not matter.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset AcquiredAt { get; set; }
}
