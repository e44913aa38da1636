namespace Dispatch.Core.Matching;

/// <summary>
/// Why an order went to the couriers it went to: every courier considered with its cost terms, the ones ruled out
/// and by which rule, and the rule that picked the winners. Stored with each offer round; shown on the board.
/// </summary>
public sealed record DispatchExplanation(string Rule, double RadiusMetres, RankedCandidate[] Eligible, Exclusion[] Excluded, Guid[] Chosen)
{
    /// <summary>What the cost adds up, in words, with the policy's own weights, for every rule text.</summary>
    public static string CostTerms(DispatchPolicy? policy = null)
    {
        policy ??= DispatchPolicy.Default;
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var fairness = policy.FairnessSecondsPerEuroPerHour > 0
            ? string.Create(c, $"plus or minus up to {policy.FairnessMaxSeconds:0} s for earnings per online hour against the other candidates, ")
            : "";
        return string.Create(c, $"seconds to pickup on the road network or straight line × {policy.DetourFactor:0.##}, plus how much later the orders already on board would arrive, ")
            + string.Create(c, $"plus {policy.ReadyWaitWeight:0.##} × any wait for the goods, plus {policy.LatenessWeight:0.##} × the seconds past the promised time, ")
            + fairness
            + string.Create(c, $"plus {CandidateRanker.DeclinePenaltySeconds:0} s if they declined this order before");
    }

    public static DispatchExplanation From(Ranking ranking, double radiusMetres, int fanout, DispatchPolicy? policy = null)
    {
        var chosen = ranking.Eligible.Take(fanout).Select(c => c.CourierId).ToArray();
        var rule = fanout == 1
            ? $"sequential: the eligible courier with the lowest cost ({CostTerms(policy)}) within {radiusMetres:0} m"
            : $"broadcast: the {fanout} eligible couriers with the lowest cost ({CostTerms(policy)}) within {radiusMetres:0} m; the first to accept wins";
        return new DispatchExplanation(rule, radiusMetres, EligibleOf(ranking), ExcludedOf(ranking), chosen);
    }

    /// <summary>The ranking's eligible couriers as an array: the ranker's own (never changed after), or a copy.</summary>
    internal static RankedCandidate[] EligibleOf(Ranking ranking) => ranking.Eligible as RankedCandidate[] ?? [.. ranking.Eligible];

    /// <summary>The ranking's exclusions as an array: the ranker's own (never changed after), or a copy.</summary>
    internal static Exclusion[] ExcludedOf(Ranking ranking) => ranking.Excluded as Exclusion[] ?? [.. ranking.Excluded];
}
