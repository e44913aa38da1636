namespace Dispatch.Core.Matching;

/// <summary>
/// The outcome of ranking: eligible couriers best first, and the ones excluded with reasons. <see cref="CandidateRanker"/>
/// makes both arrays, which explanations then hold as they are.
/// </summary>
public sealed record Ranking(IReadOnlyList<RankedCandidate> Eligible, IReadOnlyList<Exclusion> Excluded);
