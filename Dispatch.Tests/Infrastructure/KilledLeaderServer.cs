namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A deployment whose fixture node holds the couriers' connections but dispatches no zone; the dispatching nodes a test starts
/// (a process it may SIGKILL, and an in-process survivor) share <see cref="NodeSettings"/>: sequential offers that expire in
/// a few seconds and a short zone lease.
/// </summary>
public sealed class KilledLeaderServer : DispatchServer
{
    public const int LeaseSeconds = 2, OfferSeconds = 4;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Dispatch:DispatchesZones"] = "false";
        settings["Dispatch:Strategy"] = "sequential";
        settings["Dispatch:OfferTimeoutSeconds"] = OfferSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Dictionary<string, string?> NodeSettings() => ExtraNode.SettingsOf(this, new Dictionary<string, string?>
    {
        ["Dispatch:Strategy"] = "sequential",
        ["Dispatch:OfferTimeoutSeconds"] = OfferSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Dispatch:ZoneLeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>The process id in the zone's lease holder (host:pid:random), 0 when nobody holds it.</summary>
    public async Task<long> LeaderPidAsync(string zone) =>
        await ScalarAsync("select coalesce((select split_part(holder, ':', 2)::bigint from zone_leases where zone = $1 and expires_at > now()), 0)", zone);
}
