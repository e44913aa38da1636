using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Core.Tracking;

/// <summary>
/// One location flush's decisions for one order a courier works on: progress along the route, re-route, milestone, and
/// the customer's push. A fix that did not move the courier (a push held back by the rate limit, sent later) decides
/// only the push. Asking only once per re-route interval and per milestone stays with the caller, which owns that state.
/// </summary>
public static class TrackingStep
{
    public static TrackingStepDecision Decide(OrderWay way, Milestone milestonesAsked, LastPush? lastPush, LatLon at, bool moved,
        DateTimeOffset now, int padSeconds, TrackingStepSettings settings)
    {
        ArgumentNullException.ThrowIfNull(way);
        ArgumentNullException.ThrowIfNull(settings);
        var progress = CourierProgress.Of(way, at, settings.EtaSpeedMetresPerSecond);
        double? along = null;
        var reroute = false;
        var milestone = Milestone.None;
        if (moved)
        {
            if (way.Route is { } route && progress is { AlongMetres: { } metres, OffRouteMetres: { } off })
            {
                along = Math.Max(way.ProgressMetres, metres);
                reroute = route.Strayed(at, off, [way.Pickup, .. way.Via ?? [], way.Dropoff], settings.RerouteAfterMetres);
            }
            // Pre-arrival waits while a multi-stop errand still has stops to do (one may be near the drop-off).
            var holdArriving = milestonesAsked.HasFlag(Milestone.Arriving) || way.Via is { Count: > 0 };
            milestone = Milestones.Next(way.Status, holdArriving, at, way.Pickup, way.Dropoff, progress.EtaSeconds,
                settings.LeftPickupMetres, settings.ArrivingMetres, settings.ArrivingSeconds);
            if (milestone != Milestone.None && milestonesAsked.HasFlag(milestone)) milestone = Milestone.None;
        }
        var sight = CustomerView.Sight(way.Status, at, progress.EtaSeconds, padSeconds);
        var push = TrackingPushes.Decide(lastPush, now, sight.EtaSeconds, sight.Shown, settings.Pushes);
        return new TrackingStepDecision(along, reroute, milestone, progress.EtaSeconds, sight, push);
    }
}
