using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

/// <summary>Small hand-made MDRP instances: 100 m per minute, 4-minute services (2 before, 2 after).</summary>
internal static class MdrpTestInstances
{
    public static readonly MdrpParameters Parameters = new(100, 4, 4, 40, 90, 10, 15);

    public static MdrpInstance Make(MdrpRestaurant[] restaurants, MdrpOrder[] orders, MdrpCourier[] couriers) =>
        new(Parameters, restaurants, orders, couriers);

    /// <summary>Runs the policy and returns the solution with its written files already validated.</summary>
    public static MdrpSolution RunValid(MdrpInstance instance, RollingHorizonOptions? options = null)
    {
        options ??= new RollingHorizonOptions { IntervalMinutes = 1 };
        return RunValid(instance, new RollingHorizonPolicy(options), options.IntervalMinutes);
    }

    /// <summary>Runs any policy and returns the solution with its written files already validated.</summary>
    public static MdrpSolution RunValid(MdrpInstance instance, IMdrpPolicy policy, int intervalMinutes)
    {
        var solution = MdrpSimulator.Run(instance, policy, intervalMinutes);
        var problems = MdrpSolutionValidator.Validate(
            instance, MdrpSolutionWriter.Assignments(solution), MdrpSolutionWriter.Orders(solution), MdrpSolutionWriter.Couriers(solution));
        Assert.Empty(problems);
        return solution;
    }
}
