using Dispatch.Core.Matching.Assignment;

namespace Dispatch.Tests.Core;

/// <summary>
/// The sparse solver's own paths: the warm start (an order takes its cheapest courier when no earlier order has),
/// the searches for contested orders, orders that cannot be served, courier index mapping and tie-breaks.
/// </summary>
public sealed class SparseAssignmentSolverTests
{
    private const long X = AssignmentSolver.Forbidden;
    private const int None = AssignmentSolver.Unassigned;

    [Fact]
    public void Orders_whose_cheapest_couriers_all_differ_each_get_that_courier()
    {
        // Order o's cheapest courier is 2o (its own); its rivals are odd couriers shared with other orders.
        var random = new Random(11);
        var candidates = new List<IReadOnlyList<AssignmentCandidate>>();
        long expected = 0;
        for (var o = 0; o < 50; o++)
        {
            var cheapest = 10 + (o % 3);
            var list = new List<AssignmentCandidate>();
            for (var k = 0; k < 3; k++) list.Add(new((2 * random.Next(50)) + 1, cheapest + 1 + random.Next(100)));
            list.Insert(random.Next(list.Count + 1), new(2 * o, cheapest));
            expected += cheapest;
            candidates.Add(list);
        }

        var result = AssignmentSolver.SolveSparse(candidates);

        Assert.Equal(Enumerable.Range(0, 50).Select(o => 2 * o), result.CourierOfOrder);
        Assert.Equal(expected, result.TotalCost);
    }

    [Fact]
    public void A_contested_cheapest_courier_goes_where_it_saves_most()
    {
        // Both want courier 5 at 1. First come (order 0) would leave order 1 a 10: 1 + 10; moving order 0 to its
        // second choice costs 2 + 1.
        IReadOnlyList<AssignmentCandidate>[] candidates =
        [
            [new(5, 1), new(6, 2)],
            [new(5, 1), new(7, 10)],
        ];

        var result = AssignmentSolver.SolveSparse(candidates);

        Assert.Equal([6, 5], result.CourierOfOrder);
        Assert.Equal(3, result.TotalCost);
    }

    [Fact]
    public void Unservable_orders_are_left_out_and_the_rest_still_maximised()
    {
        // Courier 1 is forbidden for order 2, so only order 3 can take it; courier 0 then goes to the cheapest of
        // orders 0 and 2. Order 1 has no candidate, order 4 only forbidden ones.
        IReadOnlyList<AssignmentCandidate>[] candidates =
        [
            [new(0, 5)],
            [],
            [new(0, 1), new(1, X)],
            [new(0, 2), new(1, 100)],
            [new(0, X), new(1, X)],
        ];

        var result = AssignmentSolver.SolveSparse(candidates);

        Assert.Equal([None, None, 0, 1, None], result.CourierOfOrder);
        Assert.Equal([0, 1, 4], result.UnassignedOrders);
        Assert.Equal(101, result.TotalCost);
    }

    [Fact]
    public void On_equal_cost_the_courier_listed_first_wins_and_waiting_loses_to_a_courier()
    {
        // Every matching of these costs 10. Columns by first appearance: 7, 3, then 9 (order 1's "wait" option).
        IReadOnlyList<AssignmentCandidate>[] waiting =
        [
            [new(7, 5), new(3, 5)],
            [new(3, 5), new(9, 5)],
        ];
        Assert.Equal([7, 3], AssignmentSolver.SolveSparse(waiting).CourierOfOrder);

        // Two orders contesting the same two couriers at one price: in order, each the lower column left.
        IReadOnlyList<AssignmentCandidate>[] contested =
        [
            [new(4, 1), new(8, 1)],
            [new(8, 1), new(4, 1)],
        ];
        Assert.Equal([4, 8], AssignmentSolver.SolveSparse(contested).CourierOfOrder);
    }

    [Fact]
    public void Huge_courier_indexes_give_the_same_matching_as_compact_ones()
    {
        var random = new Random(99);
        for (var round = 0; round < 100; round++)
        {
            int orders = random.Next(1, 30), couriers = random.Next(1, 30);
            var compact = new List<IReadOnlyList<AssignmentCandidate>>();
            var huge = new List<IReadOnlyList<AssignmentCandidate>>();
            for (var o = 0; o < orders; o++)
            {
                var list = new List<AssignmentCandidate>();
                for (var k = random.Next(0, 6); k > 0; k--) list.Add(new(random.Next(couriers), random.Next(0, 20)));
                compact.Add(list);
                huge.Add([.. list.Select(a => a with { Courier = int.MaxValue - a.Courier })]);
            }

            var small = AssignmentSolver.SolveSparse(compact);
            var large = AssignmentSolver.SolveSparse(huge);

            Assert.Equal(small.CourierOfOrder.Select(c => c == None ? None : int.MaxValue - c), large.CourierOfOrder);
            Assert.Equal(small.TotalCost, large.TotalCost);
        }
    }

    [Fact]
    public void Shuffled_lists_with_duplicates_and_forbidden_entries_match_brute_force()
    {
        // Few couriers for many orders: most warm starts collide, and some orders cannot all be served.
        var random = new Random(20261127);
        for (var round = 0; round < 500; round++)
        {
            int rows = random.Next(1, 8), cols = random.Next(1, 6);
            var costs = new long[rows, cols];
            var candidates = new List<IReadOnlyList<AssignmentCandidate>>();
            for (var r = 0; r < rows; r++)
            {
                var list = new List<AssignmentCandidate>();
                for (var c = 0; c < cols; c++)
                {
                    costs[r, c] = random.NextDouble() < 0.3 ? X : random.Next(-3, 6);
                    if (costs[r, c] == X)
                    {
                        if (random.NextDouble() < 0.5) list.Add(new(c, X)); // listed as forbidden: must be ignored
                        continue;
                    }
                    list.Add(new(c, costs[r, c]));
                    if (random.NextDouble() < 0.2) list.Add(new(c, costs[r, c] + random.Next(1, 5))); // dearer duplicate
                }
                candidates.Add([.. list.OrderBy(_ => random.Next())]);
            }

            var result = AssignmentSolver.SolveSparse(candidates);
            var (bestCount, bestCost) = AssignmentSolverTests.BruteForce(costs);

            Assert.Equal(bestCount, result.AssignedCount);
            Assert.Equal(bestCost, result.TotalCost);
            AssignmentSolverTests.AssertValid(costs, result);
        }
    }
}
