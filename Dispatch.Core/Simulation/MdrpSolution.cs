namespace Dispatch.Core.Simulation;

/// <summary>An executed instruction: when it was given, to whom, from where, and its timeline.</summary>
public sealed record MdrpExecutedAssignment(int AssignmentTime, int Courier, string Origin, MdrpRoute Route);

/// <summary>The outcome of a simulation: every executed assignment in time order.</summary>
public sealed record MdrpSolution(MdrpInstance Instance, IReadOnlyList<MdrpExecutedAssignment> Assignments)
{
    /// <summary>Per order its assignment, or null when it was never delivered.</summary>
    public IReadOnlyList<MdrpExecutedAssignment?> AssignmentOfOrder()
    {
        var result = new MdrpExecutedAssignment?[Instance.Orders.Count];
        foreach (var assignment in Assignments)
            foreach (var order in assignment.Route.Orders)
                result[order] = assignment;
        return result;
    }
}
