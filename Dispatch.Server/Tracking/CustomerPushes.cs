using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;
using Dispatch.Core.Tracking;
using Dispatch.Server.Fleet;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Tracking;

/// <summary>
/// What each location flush tells the customers: for every moved courier and each order they work on, the decisions of
/// <see cref="TrackingStep"/> (progress along the route, re-route, milestone, the ETA with the zone's measured pad, what
/// the customer sees, and whether to push it), carried out here: progress and asks remembered in the
/// <see cref="AssignmentBook"/>, re-routes and milestones requested, the position pushed to the order's tracking group.
/// A push held back for the rate goes out at a later flush with the latest state, even if the courier sends nothing more.
/// </summary>
internal sealed class CustomerPushes(
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
        var settings = new TrackingStepSettings(o.EtaSpeedMetresPerSecond, o.RerouteAfterMetres, o.LeftPickupMetres, o.ArrivingMetres, o.ArrivingSeconds, limits);
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
                var step = TrackingStep.Decide(a.Way, a.MilestonesAsked, a.LastPush, courier.Position, moved, now, pads.SecondsFor(courier.Zone), settings);
                if (step.ProgressMetres is { } along && a.Route is { } route) assignments.SetProgress(courier.CourierId, a.OrderId, route.Version, along);
                if (step.Reroute && assignments.TryMarkReroute(courier.CourierId, a.OrderId, now, TimeSpan.FromSeconds(o.RerouteMinIntervalSeconds)))
                {
                    reroutes.Request(a.OrderId, courier.CourierId);
                }
                if (step.Milestone != Milestone.None && assignments.TryMarkMilestone(courier.CourierId, a.OrderId, step.Milestone))
                {
                    milestones.Request(a.OrderId, courier.CourierId, step.Milestone, courier.Position, step.EtaSeconds);
                }
                switch (step.Push)
                {
                    case PushDecision.Now:
                        assignments.SetPushed(courier.CourierId, a.OrderId, new LastPush(now, step.Sight.EtaSeconds, step.Sight.Shown));
                        var message = CustomerView.Position(a.OrderId, step.Sight, courier.At);
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
