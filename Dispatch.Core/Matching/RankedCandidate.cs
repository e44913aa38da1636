namespace Dispatch.Core.Matching;

/// <summary>An eligible courier with its cost terms: seconds to pickup and a load penalty. Lower total is better.</summary>
public sealed record RankedCandidate(Guid CourierId, double DistanceMetres, double SecondsToPickup, double LoadPenaltySeconds)
{
    public double Cost => SecondsToPickup + LoadPenaltySeconds;
}
