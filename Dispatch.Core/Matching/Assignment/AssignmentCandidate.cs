namespace Dispatch.Core.Matching.Assignment;

/// <summary>
/// One feasible (order, courier) pair of a sparse problem: the courier is the caller's own index (any value ≥ 0,
/// e.g. a position in its courier list), the cost is an integer in the caller's unit (seconds, cents…).
/// </summary>
public readonly record struct AssignmentCandidate(int Courier, long Cost);
