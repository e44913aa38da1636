namespace Dispatch.Core.Matching;

/// <summary>
/// Why an order went to the couriers it went to: every courier considered with its cost terms, the ones ruled out
/// and by which rule, and the rule that picked the winners. Stored with each offer round; shown on the board.
/// </summary>
public sealed record DispatchExplanation(string Rule, double RadiusMetres, RankedCandidate[] Eligible, Exclusion[] Excluded, Guid[] Chosen)
{
    public static DispatchExplanation From(Ranking ranking, double radiusMetres, int fanout)
    {
        var chosen = ranking.Eligible.Take(fanout).Select(c => c.CourierId).ToArray();
        var rule = fanout == 1
            ? $"sequential: the eligible courier with the lowest cost (seconds to pickup on the road network, or straight line × {CandidateRanker.DetourFactor} without one, plus {CandidateRanker.LoadPenaltySecondsPerOrder:0} s per order on board, plus {CandidateRanker.DeclinePenaltySeconds:0} s if they declined this order before) within {radiusMetres:0} m"
            : $"broadcast: the {fanout} eligible couriers with the lowest cost within {radiusMetres:0} m; the first to accept wins";
        return new DispatchExplanation(rule, radiusMetres, [.. ranking.Eligible], [.. ranking.Excluded], chosen);
    }
}
