using Dispatch.Core.Simulation;

namespace Dispatch.Tests.Core;

public sealed class MdrpSolutionValidatorTests
{
    // c1 at (0,0); r1 at (0,0); o1 1000 m north (10 minutes), ready at 5.
    private static readonly MdrpInstance Instance = MdrpTestInstances.Make(
        [new MdrpRestaurant("r1", 0, 0)],
        [new MdrpOrder("o1", 0, 1000, 0, 0, 5), new MdrpOrder("o2", 0, 2000, 50, 0, 60)],
        [new MdrpCourier("c1", 0, 0, 0, 100)]);

    private const string Assignments = "assignment_time pickup_time courier orders\n0 5 c1 o1\n";
    private const string Orders = "order placement_time ready_time pickup_time dropoff_time courier\no1 0 5 5 19 c1\no2 50 60 NA NA NA\n";
    private const string Couriers = "courier departure_time origin destination\nc1 0 0 r1\nc1 7 r1 o1\n";

    private static IReadOnlyList<string> Check(string assignments = Assignments, string orders = Orders, string couriers = Couriers) =>
        MdrpSolutionValidator.Validate(Instance, assignments, orders, couriers);

    [Fact]
    public void Hand_written_valid_solution_passes()
    {
        Assert.Empty(Check());
    }

    [Fact]
    public void Pickup_before_ready_is_caught()
    {
        Assert.Contains(Check(assignments: "h\n0 4 c1 o1\n", orders: Orders.Replace("o1 0 5 5 19", "o1 0 5 4 19", StringComparison.Ordinal)),
            p => p.Contains("before it was ready", StringComparison.Ordinal));
    }

    [Fact]
    public void Pickup_after_off_time_is_caught()
    {
        var late = MdrpSolutionValidator.Validate(
            Instance with { Couriers = [new MdrpCourier("c1", 0, 0, 0, 4)] }, Assignments, Orders, Couriers);
        Assert.Contains(late, p => p.Contains("after c1's off time", StringComparison.Ordinal));
    }

    [Fact]
    public void Broken_origin_chain_is_caught()
    {
        Assert.Contains(Check(couriers: "h\nc1 0 0 r1\nc1 7 0 o1\n"), p => p.Contains("not the previous destination", StringComparison.Ordinal));
    }

    [Fact]
    public void Departing_before_the_pickup_moment_is_caught()
    {
        Assert.Contains(Check(couriers: "h\nc1 0 0 r1\nc1 4 r1 o1\n"), p => p.Contains("before the pickup or drop-off", StringComparison.Ordinal));
    }

    [Fact]
    public void Drop_off_time_not_matching_travel_is_caught()
    {
        Assert.Contains(Check(orders: Orders.Replace("5 19 c1", "5 18 c1", StringComparison.Ordinal)), p => p.Contains("drop-off at 18", StringComparison.Ordinal));
    }

    [Fact]
    public void Non_integer_times_and_missing_na_are_caught()
    {
        Assert.Contains(Check(orders: Orders.Replace("5 19 c1", "5 19.5 c1", StringComparison.Ordinal)), p => p.Contains("whole minutes", StringComparison.Ordinal));
        Assert.Contains(Check(orders: Orders.Replace("NA NA NA", "61 70 NA", StringComparison.Ordinal)), p => p.Contains("without NA", StringComparison.Ordinal));
    }

    [Fact]
    public void Assigning_before_placement_and_twice_are_caught()
    {
        var problems = Check(assignments: "h\n0 5 c1 o1\n0 60 c1 o2 o1\n");
        Assert.Contains(problems, p => p.Contains("o2 assigned before it was placed", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("o1 is assigned more than once", StringComparison.Ordinal));
    }
}
