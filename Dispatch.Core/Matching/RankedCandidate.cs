namespace Dispatch.Core.Matching;

/// <summary>
/// An eligible courier with its named cost terms, all in seconds; lower total is better.
/// <list type="bullet">
/// <item><see cref="SecondsToPickup"/>: travel to the pickup (road network, or straight line × detour).</item>
/// <item><see cref="LoadPenaltySeconds"/>: how much later the orders already on board arrive with this one added, plus this
/// order's own detour through their stops (a flat
/// penalty per order when they are unknown).</item>
/// <item><see cref="DeclinePenaltySeconds"/>: asking again a courier who declined this order.</item>
/// <item><see cref="ReadyWaitSeconds"/>: standing at the pickup until the goods are ready, weighted.</item>
/// <item><see cref="LatenessSeconds"/>: seconds past the promised time (this order's, and added to those on board), weighted.</item>
/// <item><see cref="FairnessSeconds"/>: earnings per online hour above the candidates' mean cost, below it saves.</item>
/// </list>
/// <see cref="PickupAt"/> and <see cref="DropoffAt"/> are the plan's estimates for this order with this courier.
/// A value, not an object: a batch round ranks ~30 couriers for each of a thousand orders, and a ranking's candidates sit
/// in one array that holds no references, which a garbage collection during the round copies without tracing — 30,000
/// small objects it would trace one by one.
/// </summary>
public readonly record struct RankedCandidate(
    Guid CourierId,
    double DistanceMetres,
    double SecondsToPickup,
    double LoadPenaltySeconds,
    double DeclinePenaltySeconds = 0,
    double ReadyWaitSeconds = 0,
    double LatenessSeconds = 0,
    double FairnessSeconds = 0,
    DateTimeOffset? PickupAt = null,
    DateTimeOffset? DropoffAt = null)
{
    public double Cost => SecondsToPickup + LoadPenaltySeconds + DeclinePenaltySeconds + ReadyWaitSeconds + LatenessSeconds + FairnessSeconds;
}
