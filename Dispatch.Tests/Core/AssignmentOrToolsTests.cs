using Dispatch.Core.Matching.Assignment;
using Google.OrTools.Graph;

namespace Dispatch.Tests.Core;

/// <summary>The solver's optimum equals Google OR-Tools <c>LinearSumAssignment</c> on random instances.</summary>
public sealed class AssignmentOrToolsTests
{
    [Fact]
    public void Random_complete_instances_match_or_tools_in_both_shapes()
    {
        var random = new Random(42);
        for (var round = 0; round < 50; round++)
        {
            int rows = random.Next(1, 61), cols = random.Next(1, 61);
            var costs = new long[rows, cols];
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < cols; c++)
                    costs[r, c] = random.Next(0, 10_000);

            var result = AssignmentSolver.SolveDense(costs);

            Assert.Equal(Math.Min(rows, cols), result.AssignedCount);
            Assert.Equal(OrToolsOptimum(costs), result.TotalCost);
            AssignmentSolverTests.AssertValid(costs, result);
        }
    }

    [Fact]
    public void Random_sparse_instances_match_or_tools_with_forbidden_arcs_priced_out()
    {
        var random = new Random(4242);
        for (var round = 0; round < 30; round++)
        {
            int orders = random.Next(1, 41), couriers = random.Next(1, 41);
            var candidates = new IReadOnlyList<AssignmentCandidate>[orders];
            var dense = new long[orders, couriers];
            for (var o = 0; o < orders; o++)
            {
                var list = new List<AssignmentCandidate>();
                for (var c = 0; c < couriers; c++)
                {
                    dense[o, c] = AssignmentSolver.Forbidden;
                    if (random.NextDouble() < 0.25)
                    {
                        dense[o, c] = random.Next(0, 1_000);
                        list.Add(new AssignmentCandidate(c, dense[o, c]));
                    }
                }
                candidates[o] = list;
            }

            var result = AssignmentSolver.SolveSparse(candidates);

            // Priced out: a forbidden arc costs more than any feasible total, so OR-Tools uses as few as it can;
            // its optimum then equals ours plus that price for every order we leave unassigned (square padding).
            const long Big = 10_000_000;
            Assert.Equal(OrToolsOptimum(dense, Big), result.TotalCost + (Big * result.UnassignedOrders.Count));
            AssignmentSolverTests.AssertValid(dense, result);
        }
    }

    [Fact]
    public void Larger_sparse_instances_match_or_tools_max_flow_with_min_cost()
    {
        // Hundreds of orders with a few candidates each: many warm-start collisions, long augmenting paths, and
        // with few couriers some orders left out. OR-Tools' max flow with min cost has the same contract.
        var random = new Random(271127);
        for (var round = 0; round < 40; round++)
        {
            int orders = random.Next(50, 400), couriers = random.Next(20, 500), width = random.Next(1, 10);
            var maxCost = random.NextDouble() < 0.5 ? 5 : 2_000; // few distinct costs (ties) or many
            var candidates = new List<IReadOnlyList<AssignmentCandidate>>();
            var dense = new long[orders, couriers];
            for (var o = 0; o < orders; o++)
            {
                var list = new List<AssignmentCandidate>();
                for (var c = 0; c < couriers; c++) dense[o, c] = AssignmentSolver.Forbidden;
                for (var k = random.Next(0, width + 1); k > 0; k--)
                {
                    var c = random.Next(couriers);
                    if (dense[o, c] != AssignmentSolver.Forbidden) continue;
                    dense[o, c] = random.Next(0, maxCost);
                    list.Add(new AssignmentCandidate(c, dense[o, c]));
                }
                candidates.Add(list);
            }

            var result = AssignmentSolver.SolveSparse(candidates);

            var flow = new MinCostFlow();
            int source = 0, sink = 1, firstOrder = 2, firstCourier = 2 + orders;
            for (var o = 0; o < orders; o++)
            {
                flow.AddArcWithCapacityAndUnitCost(source, firstOrder + o, 1, 0);
                foreach (var a in candidates[o]) flow.AddArcWithCapacityAndUnitCost(firstOrder + o, firstCourier + a.Courier, 1, a.Cost);
            }
            for (var c = 0; c < couriers; c++) flow.AddArcWithCapacityAndUnitCost(firstCourier + c, sink, 1, 0);
            flow.SetNodeSupply(source, orders);
            flow.SetNodeSupply(sink, -orders);
            Assert.Equal(MinCostFlowBase.Status.OPTIMAL, flow.SolveMaxFlowWithMinCost());

            Assert.Equal(flow.MaximumFlow(), result.AssignedCount);
            Assert.Equal(flow.OptimalCost(), result.TotalCost);
            AssignmentSolverTests.AssertValid(dense, result);
        }
    }

    // Pads to a square n×n with every arc present (LinearSumAssignment needs a perfect matching). Padding arcs
    // cost 0 for dummy rows or columns, so only real pairs count; forbidden real pairs cost `forbiddenCost`,
    // unassigned real orders (dummy column) cost the same.
    private static long OrToolsOptimum(long[,] costs, long forbiddenCost = 0)
    {
        int rows = costs.GetLength(0), cols = costs.GetLength(1);
        var n = Math.Max(rows, cols);
        var assignment = new LinearSumAssignment();
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++)
            {
                long cost = r < rows && c < cols
                    ? (costs[r, c] == AssignmentSolver.Forbidden ? forbiddenCost : costs[r, c])
                    : (r < rows ? forbiddenCost : 0);
                assignment.AddArcWithCost(r, c, cost);
            }
        }
        Assert.Equal(LinearSumAssignment.Status.OPTIMAL, assignment.Solve());
        return assignment.OptimalCost();
    }
}
