using Dispatch.Core.Matching.Assignment;

namespace Dispatch.Tests.Core;

public sealed class AssignmentSolverTests
{
    private const long X = AssignmentSolver.Forbidden;
    private const int None = AssignmentSolver.Unassigned;

    [Fact]
    public void Empty_problems_assign_nothing()
    {
        Assert.Empty(AssignmentSolver.SolveDense(new long[0, 0]).CourierOfOrder);
        var noCouriers = AssignmentSolver.SolveDense(new long[2, 0]);
        Assert.Equal([0, 1], noCouriers.UnassignedOrders);
        Assert.Equal(0, noCouriers.TotalCost);
    }

    [Fact]
    public void Three_by_three_takes_the_cheapest_permutation_not_the_greedy_one()
    {
        // Greedy (order 0 → courier 0 at 1) leaves order 1 a 9: 1 + 9 + 3 = 13; the unique optimum is 2 + 2 + 3.
        long[,] costs = { { 1, 2, 8 }, { 2, 9, 9 }, { 9, 9, 3 } };
        var result = AssignmentSolver.SolveDense(costs);

        Assert.Equal([1, 0, 2], result.CourierOfOrder);
        Assert.Equal(7, result.TotalCost);
        Assert.Empty(result.UnassignedOrders);
    }

    [Fact]
    public void Forbidden_pair_is_never_used_even_when_cheapest_overall()
    {
        long[,] costs = { { X, 5 }, { 1, 100 } };
        var result = AssignmentSolver.SolveDense(costs);

        Assert.Equal([1, 0], result.CourierOfOrder);
        Assert.Equal(6, result.TotalCost);
    }

    [Fact]
    public void Order_with_no_feasible_courier_is_reported_not_forced()
    {
        long[,] costs = { { 3, 4 }, { X, X }, { 5, 1 } };
        var result = AssignmentSolver.SolveDense(costs);

        Assert.Equal([0, None, 1], result.CourierOfOrder);
        Assert.Equal([1], result.UnassignedOrders);
        Assert.Equal(4, result.TotalCost);
        Assert.Equal(2, result.AssignedCount);
    }

    [Fact]
    public void More_orders_than_couriers_leaves_the_costliest_to_serve_unassigned()
    {
        long[,] costs = { { 10, 10 }, { 1, 2 }, { 2, 1 } };
        var result = AssignmentSolver.SolveDense(costs);

        Assert.Equal([None, 0, 1], result.CourierOfOrder);
        Assert.Equal([0], result.UnassignedOrders);
        Assert.Equal(2, result.TotalCost);
    }

    [Fact]
    public void More_couriers_than_orders_picks_the_best_couriers()
    {
        long[,] costs = { { 9, 3, 7, 1 }, { 9, 2, 8, 5 } };
        var result = AssignmentSolver.SolveDense(costs);

        Assert.Equal([3, 1], result.CourierOfOrder);
        Assert.Equal(3, result.TotalCost);
    }

    [Fact]
    public void Assigning_more_orders_wins_over_a_lower_total()
    {
        // Order 0 alone on courier 0 costs 1, but then order 1 (only courier 0 feasible) would be stranded.
        long[,] costs = { { 1, 1000 }, { 50, X } };
        var result = AssignmentSolver.SolveDense(costs);

        Assert.Equal([1, 0], result.CourierOfOrder);
        Assert.Equal(1050, result.TotalCost);
    }

    [Fact]
    public void Negative_costs_are_allowed()
    {
        long[,] costs = { { -5, 0 }, { -4, -10 } };
        var result = AssignmentSolver.SolveDense(costs);

        Assert.Equal([0, 1], result.CourierOfOrder);
        Assert.Equal(-15, result.TotalCost);
    }

    [Fact]
    public void Sparse_candidates_map_back_to_the_callers_courier_ids()
    {
        IReadOnlyList<AssignmentCandidate>[] candidates =
        [
            [new(700, 4), new(42, 2)],
            [new(42, 1)],
            [],
            [new(9000, 3), new(9000, 1)],
        ];
        var result = AssignmentSolver.SolveSparse(candidates);

        Assert.Equal([700, 42, None, 9000], result.CourierOfOrder);
        Assert.Equal([2], result.UnassignedOrders);
        Assert.Equal(4 + 1 + 1, result.TotalCost);
    }

    [Fact]
    public void Random_problems_with_forbidden_pairs_match_brute_force()
    {
        var random = new Random(20250314);
        for (var round = 0; round < 300; round++)
        {
            int rows = random.Next(1, 7), cols = random.Next(1, 7);
            var costs = new long[rows, cols];
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < cols; c++)
                    costs[r, c] = random.NextDouble() < 0.3 ? X : random.Next(-20, 100);

            var result = AssignmentSolver.SolveDense(costs);
            var (bestCount, bestCost) = BruteForce(costs);

            Assert.Equal(bestCount, result.AssignedCount);
            Assert.Equal(bestCost, result.TotalCost);
            AssertValid(costs, result);
        }
    }

    [Fact]
    public void Sparse_problems_with_many_ties_match_brute_force()
    {
        var random = new Random(20261125);
        for (var round = 0; round < 500; round++)
        {
            int rows = random.Next(1, 7), cols = random.Next(1, 7);
            var costs = new long[rows, cols];
            var candidates = new List<IReadOnlyList<AssignmentCandidate>>();
            for (var r = 0; r < rows; r++)
            {
                var list = new List<AssignmentCandidate>();
                for (var c = 0; c < cols; c++)
                {
                    costs[r, c] = random.NextDouble() < 0.4 ? X : random.Next(0, 4); // few distinct costs: ties everywhere
                    if (costs[r, c] != X) list.Add(new AssignmentCandidate(c, costs[r, c]));
                }
                candidates.Add(list);
            }

            var result = AssignmentSolver.SolveSparse(candidates);
            var (bestCount, bestCost) = BruteForce(costs);

            Assert.Equal(bestCount, result.AssignedCount);
            Assert.Equal(bestCost, result.TotalCost);
            AssertValid(costs, result);
        }
    }

    [Fact]
    public void Dense_500_by_500_solves_well_under_a_second()
    {
        var random = new Random(7);
        var costs = new long[500, 500];
        for (var r = 0; r < 500; r++)
            for (var c = 0; c < 500; c++)
                costs[r, c] = random.Next(0, 100_000);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = AssignmentSolver.SolveDense(costs);
        watch.Stop();

        Assert.Equal(500, result.AssignedCount);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    internal static void AssertValid(long[,] costs, AssignmentResult result)
    {
        var seen = new HashSet<int>();
        long total = 0;
        for (var r = 0; r < result.CourierOfOrder.Count; r++)
        {
            var c = result.CourierOfOrder[r];
            if (c == None) continue;
            Assert.True(seen.Add(c), $"courier {c} assigned twice");
            Assert.NotEqual(X, costs[r, c]);
            total += costs[r, c];
        }
        Assert.Equal(total, result.TotalCost);
    }

    // Most orders assigned first, then least total cost: the solver's contract, by exhaustive search.
    internal static (int Count, long Cost) BruteForce(long[,] costs)
    {
        int rows = costs.GetLength(0), cols = costs.GetLength(1);
        var best = (Count: 0, Cost: 0L);
        var taken = new bool[cols];
        void Search(int row, int count, long cost)
        {
            if (row == rows)
            {
                if (count > best.Count || (count == best.Count && cost < best.Cost)) best = (count, cost);
                return;
            }
            Search(row + 1, count, cost);
            for (var c = 0; c < cols; c++)
            {
                if (taken[c] || costs[row, c] == X) continue;
                taken[c] = true;
                Search(row + 1, count + 1, cost + costs[row, c]);
                taken[c] = false;
            }
        }
        Search(0, 0, 0);
        return best;
    }
}
