namespace Dispatch.Core.Matching;

/// <summary>The outcome of ranking: eligible couriers best first, and the ones excluded with reasons.</summary>
public sealed record Ranking(IReadOnlyList<RankedCandidate> Eligible, IReadOnlyList<Exclusion> Excluded);
