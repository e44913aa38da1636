namespace Dispatch.Core.Matching;

/// <summary>
/// A candidate who was not offered the order, as a stored explanation keeps it: the total cost, how far and how long to
/// the pickup, and the term that lost them the order against the offered courier (<see cref="LostOn"/>, one of
/// <see cref="RunnerUp.Terms"/>, by <see cref="LostBySeconds"/>); null when nobody was offered it. "matching": cheaper for
/// this order alone, but the round's assignment was cheaper in total with someone else (they went to another order).
/// <see cref="FreeAt"/>: a busy courier who frees up then. Seconds and metres are whole.
/// </summary>
public sealed record RunnerUp(Guid CourierId, double Cost, double DistanceMetres, double SecondsToPickup, string? LostOn = null, double LostBySeconds = 0,
    DateTimeOffset? FreeAt = null)
{
    /// <summary>The names <see cref="LostOn"/> takes, in the order the cost adds its terms.</summary>
    public static readonly IReadOnlyList<string> Terms = ["pickup", "load", "declined", "readyWait", "lateness", "fairness", "matching"];

    /// <summary><paramref name="candidate"/> against <paramref name="offered"/> (null: nobody was offered the order).</summary>
    public static RunnerUp Of(RankedCandidate candidate, RankedCandidate? offered)
    {
        string? lostOn = null;
        var by = 0.0;
        if (offered is { } o)
        {
            if (candidate.Cost < o.Cost)
            {
                (lostOn, by) = ("matching", o.Cost - candidate.Cost);
            }
            else
            {
                // The term with the largest gap is the one that lost it the order.
                Span<double> gaps =
                [
                    candidate.SecondsToPickup - o.SecondsToPickup, candidate.LoadPenaltySeconds - o.LoadPenaltySeconds,
                    candidate.DeclinePenaltySeconds - o.DeclinePenaltySeconds, candidate.ReadyWaitSeconds - o.ReadyWaitSeconds,
                    candidate.LatenessSeconds - o.LatenessSeconds, candidate.FairnessSeconds - o.FairnessSeconds,
                ];
                var worst = 0;
                for (var i = 1; i < gaps.Length; i++)
                {
                    if (gaps[i] > gaps[worst]) worst = i;
                }
                (lostOn, by) = (Terms[worst], gaps[worst]);
            }
        }
        return new RunnerUp(candidate.CourierId, Math.Round(candidate.Cost), Math.Round(candidate.DistanceMetres), Math.Round(candidate.SecondsToPickup),
            lostOn, Math.Round(by), CompactExplanation.ToSecond(candidate.FreeAt));
    }
}
