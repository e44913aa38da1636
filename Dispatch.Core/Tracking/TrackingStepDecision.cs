using Dispatch.Core.Orders;

namespace Dispatch.Core.Tracking;

/// <summary>
/// What one tracking step decided for one order: the progress to remember along the route (null: keep what is stored),
/// whether to ask for a new route, the milestone to record (<see cref="Milestone.None"/>: none), the raw ETA (seconds, for
/// the milestone), what the customer sees, and whether to push it now, later or not at all.
/// </summary>
public sealed record TrackingStepDecision(
    double? ProgressMetres,
    bool Reroute,
    Milestone Milestone,
    int EtaSeconds,
    CustomerSight Sight,
    PushDecision Push);
