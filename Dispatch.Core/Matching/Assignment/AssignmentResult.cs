namespace Dispatch.Core.Matching.Assignment;

/// <summary>
/// The solved assignment. <see cref="CourierOfOrder"/>[order] is the courier (a column of the dense problem, the
/// caller's courier index of the sparse one) or <see cref="AssignmentSolver.Unassigned"/>; orders left without a
/// courier are listed in <see cref="UnassignedOrders"/> in ascending order. <see cref="TotalCost"/> sums the costs
/// of the assigned pairs only.
/// </summary>
public sealed record AssignmentResult(IReadOnlyList<int> CourierOfOrder, long TotalCost, IReadOnlyList<int> UnassignedOrders)
{
    public int AssignedCount => CourierOfOrder.Count - UnassignedOrders.Count;
}
