using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;
using Dispatch.Core.Tracking;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Tracking;

/// <summary>
/// What each location flush tells the customers: for every moved courier and each order they work on, progress along
/// the route (asking for a re-route when they stray), the ETA (raw + the zone's measured pad), milestones, and the
/// position push to the order's tracking group — rate-limited by <see cref="TrackingPushes"/>: a push held back for
/// the rate goes out at a later flush with the latest state, even if the courier sends nothing more. What the customer
/// sees of the courier comes from <see cref="CustomerView"/>.
/// </summary>
public sealed class CustomerPushes(
    AssignmentBook assignments,
    Routing.RerouteService reroutes,
    Routing.EtaPads pads,
    Orders.MilestoneService milestones,
    TimeProvider clock,
    TrackingSender tracking,
    IOptions<DispatchOptions> options)
{
    // Couriers with a push held back by the rate limit: their latest snapshot. Only the flush loop touches it.
    private readonly Dictionary<Guid, CourierSnapshot> _heldBack = [];

    /// <summary>Called by every flush with the couriers that moved (possibly none).</summary>
    public Task PushAsync(IReadOnlyCollection<CourierSnapshot> moved)
    {
        var o = options.Value;
        var limits = new TrackingPushLimits(TimeSpan.FromMilliseconds(o.TrackingPushMinIntervalMilliseconds), o.TrackingEtaChangeSeconds,
            TimeSpan.FromSeconds(o.TrackingHeartbeatSeconds));
        var now = clock.GetUtcNow();
        List<Task>? pushes = null;
        var held = _heldBack.Count > 0 ? _heldBack.Values.ToList() : null;
        _heldBack.Clear();
        foreach (var courier in moved) Push(courier, moved: true);
        if (held is not null)
        {
            var movedIds = moved.Select(c => c.CourierId).ToHashSet();
            foreach (var courier in held.Where(c => !movedIds.Contains(c.CourierId))) Push(courier, moved: false);
        }
        return pushes is null ? Task.CompletedTask : Task.WhenAll(pushes);

        void Push(CourierSnapshot courier, bool moved)
        {
            foreach (var a in assignments.For(courier.CourierId))
            {
                var shown = CustomerView.Shown(a.Status, courier.Position);
                int eta;
                if (a.Route is { } route)
                {
                    // On the road network: time left along the planned route; off it by too much, ask for a new one.
                    var at = route.Locate(courier.Position, a.ProgressMetres);
                    eta = route.SecondsLeft(at);
                    if (moved) assignments.SetProgress(courier.CourierId, a.OrderId, route.Version, Math.Max(a.ProgressMetres, at.AlongMetres));
                    if (moved && route.Strayed(courier.Position, at.OffRouteMetres, [a.Pickup, .. a.Via ?? [], a.Dropoff], o.RerouteAfterMetres)
                        && assignments.TryMarkReroute(courier.CourierId, a.OrderId, now, TimeSpan.FromSeconds(o.RerouteMinIntervalSeconds)))
                    {
                        reroutes.Request(a.OrderId, courier.CourierId);
                    }
                }
                else
                {
                    eta = Eta.ToDropoffSeconds(a.Status, courier.Position, a.Pickup, a.Dropoff, o.EtaSpeedMetresPerSecond, a.Via);
                }
                if (moved)
                {
                    // Pre-arrival waits while a multi-stop errand still has stops to do (one may be near the drop-off).
                    var holdArriving = a.MilestonesAsked.HasFlag(Milestone.Arriving) || a.Via is { Count: > 0 };
                    var next = Milestones.Next(a.Status, holdArriving, courier.Position, a.Pickup, a.Dropoff, eta,
                        o.LeftPickupMetres, o.ArrivingMetres, o.ArrivingSeconds);
                    if (next != Milestone.None && assignments.TryMarkMilestone(courier.CourierId, a.OrderId, next))
                    {
                        milestones.Request(a.OrderId, courier.CourierId, next, courier.Position, eta);
                    }
                }
                var promised = eta + pads.SecondsFor(courier.Zone);
                switch (TrackingPushes.Decide(a.LastPush, now, promised, shown, limits))
                {
                    case PushDecision.Now:
                        assignments.SetPushed(courier.CourierId, a.OrderId, new LastPush(now, promised, shown));
                        var message = CustomerView.Position(a.OrderId, a.Status, courier.Position, courier.At, promised);
                        (pushes ??= []).Add(tracking.SendAsync(a.OrderId, c => c.CourierMoved(message)));
                        break;
                    case PushDecision.Later:
                        _heldBack[courier.CourierId] = courier;
                        break;
                }
            }
        }
    }
}
