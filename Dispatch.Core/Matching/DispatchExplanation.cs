namespace Dispatch.Core.Matching;

/// <summary>
/// Why an order went to the couriers it went to: every courier considered with its cost terms, the ones ruled out
/// and by which rule, and the rule that picked the winners. Stored with each offer round; shown on the board.
/// </summary>
public sealed record DispatchExplanation(string Rule, double RadiusMetres, RankedCandidate[] Eligible, Exclusion[] Excluded, Guid[] Chosen)
{
    /// <summary>What the cost adds up, in words, for every rule text.</summary>
    public const string CostTerms =
        "seconds to pickup on the road network or straight line × 1.3, plus how much later the orders already on board would arrive, " +
        "plus half of any wait for the goods, plus twice the seconds past the promised time, plus or minus up to 120 s for earnings per online hour " +
        "against the other candidates, plus 300 s if they declined this order before";

    public static DispatchExplanation From(Ranking ranking, double radiusMetres, int fanout)
    {
        var chosen = ranking.Eligible.Take(fanout).Select(c => c.CourierId).ToArray();
        var rule = fanout == 1
            ? $"sequential: the eligible courier with the lowest cost ({CostTerms}) within {radiusMetres:0} m"
            : $"broadcast: the {fanout} eligible couriers with the lowest cost ({CostTerms}) within {radiusMetres:0} m; the first to accept wins";
        return new DispatchExplanation(rule, radiusMetres, [.. ranking.Eligible], [.. ranking.Excluded], chosen);
    }
}
