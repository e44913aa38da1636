namespace Dispatch.Core.Matching;

/// <summary>
/// An eligible courier with its cost terms: seconds to pickup, a load penalty, and a penalty for having declined this
/// order before (after the cool-down). Lower total is better.
/// </summary>
public sealed record RankedCandidate(Guid CourierId, double DistanceMetres, double SecondsToPickup, double LoadPenaltySeconds, double DeclinePenaltySeconds = 0)
{
    public double Cost => SecondsToPickup + LoadPenaltySeconds + DeclinePenaltySeconds;
}
