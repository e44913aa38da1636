using Dispatch.Core.Geo;

namespace Dispatch.Core.Tracking;

/// <summary>Limits on how often a customer's tracking view is sent the courier's position and ETA.</summary>
/// <param name="MinInterval">Never more often than this per order (a bounded rate, however fast fixes arrive).</param>
/// <param name="EtaChangeSeconds">An ETA this far from what the customer's countdown shows is worth a push by itself.</param>
/// <param name="Heartbeat">Even with nothing new, a push this often, so the view knows the courier is alive.</param>
/// <param name="MinMoveMetres">A shown position that moved less than this is nothing new (a coarse position rarely moves).</param>
public sealed record TrackingPushLimits(TimeSpan MinInterval, int EtaChangeSeconds, TimeSpan Heartbeat, double MinMoveMetres = 5);

/// <summary>What the customer was last sent for an order: when, the ETA then, and the position shown.</summary>
public readonly record struct LastPush(DateTimeOffset At, int EtaSeconds, LatLon Shown);

public enum PushDecision
{
    /// <summary>Nothing the customer would notice: drop it.</summary>
    Skip,

    /// <summary>Worth sending, but the last push was too recent: send the latest state once the interval has passed.</summary>
    Later,

    /// <summary>Send now.</summary>
    Now,
}

/// <summary>
/// When a tracking view gets a push: only when something changed meaningfully (the shown position moved, or the ETA
/// differs by at least a minute from the view's own countdown) or a heartbeat is due, and never faster than the limit.
/// </summary>
internal static class TrackingPushes
{
    public static PushDecision Decide(LastPush? last, DateTimeOffset now, int etaSeconds, LatLon shown, TrackingPushLimits limits)
    {
        if (last is not { } previous) return PushDecision.Now;
        var since = now - previous.At;
        var countdown = previous.EtaSeconds - since.TotalSeconds; // what the view shows now without a push
        var meaningful = GeoMath.DistanceMetres(previous.Shown, shown) >= limits.MinMoveMetres
            || Math.Abs(etaSeconds - countdown) >= limits.EtaChangeSeconds
            || since >= limits.Heartbeat;
        if (!meaningful) return PushDecision.Skip;
        return since >= limits.MinInterval ? PushDecision.Now : PushDecision.Later;
    }
}
