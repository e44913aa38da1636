namespace Dispatch.Core.Matching;

/// <summary>
/// What is stored of a <see cref="DispatchExplanation"/> (dispatch_decisions) and shown on the board: the rule in words
/// (with the cost formula left out: the terms are named by the offered courier's own), the offered couriers with every
/// cost term, the next <see cref="RunnersUpKept"/> candidates with their cost and the term that lost them the order, the
/// first <see cref="ExclusionsKept"/> ruled out, and how many more of each. A batch round stores one per offer, a
/// thousand a round: the whole ranking (30 candidates with every term, ~9 kB each) cost more to store than the round
/// took to decide (docs/benchmarks.md, "Batch tick"). Numbers are rounded to what the board shows: whole metres and
/// seconds, times to the second.
/// </summary>
public sealed record CompactExplanation(string Rule, double RadiusMetres, RankedCandidate[] Offered, RunnerUp[] RunnersUp, int MoreEligible,
    Exclusion[] Excluded, int MoreExcluded)
{
    public const int RunnersUpKept = 5;

    public const int ExclusionsKept = 5;

    /// <summary>
    /// <paramref name="explanation"/> compacted; <paramref name="costTerms"/>: the policy's
    /// <see cref="DispatchExplanation.CostTerms"/>, left out of the rule (computed once by a caller that compacts many).
    /// </summary>
    public static CompactExplanation From(DispatchExplanation explanation, string costTerms)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        ArgumentNullException.ThrowIfNull(costTerms);
        var offered = new List<RankedCandidate>(explanation.Chosen.Length);
        var others = new List<RunnerUp>(RunnersUpKept);
        var eligible = explanation.Eligible;
        foreach (var c in eligible)
        {
            if (Array.IndexOf(explanation.Chosen, c.CourierId) >= 0) offered.Add(Rounded(c));
        }
        RankedCandidate? best = offered.Count > 0 ? eligible.First(c => c.CourierId == offered[0].CourierId) : null;
        var more = 0;
        foreach (var c in eligible)
        {
            if (Array.IndexOf(explanation.Chosen, c.CourierId) >= 0) continue;
            if (others.Count < RunnersUpKept) others.Add(RunnerUp.Of(c, best));
            else more++;
        }
        var excluded = explanation.Excluded;
        var rule = explanation.Rule.Replace($" ({costTerms})", "", StringComparison.Ordinal);
        return new CompactExplanation(rule, Math.Round(explanation.RadiusMetres), [.. offered], [.. others], more,
            excluded.Length <= ExclusionsKept ? excluded : excluded[..ExclusionsKept], Math.Max(0, excluded.Length - ExclusionsKept));
    }

    /// <summary>A candidate's terms as shown: whole metres and seconds, times to the second.</summary>
    public static RankedCandidate Rounded(RankedCandidate c) => c with
    {
        DistanceMetres = Math.Round(c.DistanceMetres),
        SecondsToPickup = Math.Round(c.SecondsToPickup),
        LoadPenaltySeconds = Math.Round(c.LoadPenaltySeconds),
        DeclinePenaltySeconds = Math.Round(c.DeclinePenaltySeconds),
        ReadyWaitSeconds = Math.Round(c.ReadyWaitSeconds),
        LatenessSeconds = Math.Round(c.LatenessSeconds),
        FairnessSeconds = Math.Round(c.FairnessSeconds),
        PickupAt = ToSecond(c.PickupAt),
        DropoffAt = ToSecond(c.DropoffAt),
        FreeAt = ToSecond(c.FreeAt),
    };

    internal static DateTimeOffset? ToSecond(DateTimeOffset? at) =>
        at is { } t ? new DateTimeOffset(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), t.Offset) : null;
}
