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
/// <see cref="FreeAt"/>: set for a busy courier who is a candidate only for a batch round's plan (<see cref="CandidateRanker.Rank"/>
/// with freeing couriers): when their trip ends, at its last drop-off (then <see cref="DistanceMetres"/> is from there
/// and <see cref="SecondsToPickup"/> counts from now); such a courier is never offered the order, it is waited for.
/// <see cref="BundleRoom"/>: how many orders of one pickup this courier may take together, planned before sending (0: none;
/// a courier with orders on board takes new ones one by one into their trip).
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
    DateTimeOffset? DropoffAt = null,
    DateTimeOffset? FreeAt = null,
    int BundleRoom = 0)
{
    public double Cost => SecondsToPickup + LoadPenaltySeconds + DeclinePenaltySeconds + ReadyWaitSeconds + LatenessSeconds + FairnessSeconds;
}
