namespace Dispatch.Core.Matching;

/// <summary>A courier that was considered and ruled out, with the rule that did it.</summary>
public sealed record Exclusion(Guid CourierId, string Reason);
