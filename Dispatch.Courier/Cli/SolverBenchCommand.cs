using System.Diagnostics;
using System.Globalization;
using Dispatch.Core.Matching.Assignment;
using Google.OrTools.Graph;

namespace Dispatch.Courier.Cli;

/// <summary>
/// <c>bench-solver</c>: the dispatch core's exact assignment solver against Google OR-Tools on the same random
/// instances, in one invocation: dense 1000×1000 (OR-Tools <c>LinearSumAssignment</c>), and sparse 1000 orders ×
/// 5000 couriers × 20 candidates each (OR-Tools <c>MinCostFlow</c> on the same arcs, as LinearSumAssignment
/// needs a square problem). Checks the optimal totals agree; prints times, ratios and a SUMMARY line.
/// </summary>
internal static class SolverBenchCommand
{
    // More than the runtime's call count (30) before a method is recompiled at its optimised tier.
    private const int WarmUpSolves = 50;

    public static Task<int> ExecuteAsync(CliArgs args)
    {
        var dense = args.GetInt("dense", 1000, 10, 5000);
        var orders = args.GetInt("orders", 1000, 10, 20_000);
        var couriers = args.GetInt("couriers", 5000, 10, 100_000);
        var candidates = args.GetInt("candidates", 20, 1, 200);
        var runs = args.GetInt("runs", 3, 1, 50);
        var seed = args.GetInt("seed", 7, int.MinValue, int.MaxValue);
        args.EnsureAllRead();
        var random = new Random(seed);

        Console.WriteLine($"[bench-solver] warm-up (JIT, native libraries)");
        Dense(Matrix(random, 60), out _, out _);
        // The sparse solvers on an instance of their own random stream (the measured ones stay as they were): ours
        // often enough, and for long enough, for the runtime to finish recompiling it at its optimised tier (on the other
        // core), as OR-Tools' native code already is: the steady state of a dispatcher that solves a batch every tick.
        var warmUp = SparseInstance(new Random(seed + 1), orders, couriers, candidates);
        for (var i = 0; i < WarmUpSolves; i++) AssignmentSolver.SolveSparse(warmUp);
        Sparse(warmUp, couriers);
        var warming = Stopwatch.StartNew();
        while (warming.Elapsed < TimeSpan.FromMilliseconds(500)) AssignmentSolver.SolveSparse(warmUp);

        Console.WriteLine($"[bench-solver] dense {dense}×{dense}, costs 0..9999, {runs} run(s)");
        var (oursDense, toolsDense) = (new List<double>(), new List<double>());
        for (var run = 0; run < runs; run++)
        {
            var costs = Matrix(random, dense);
            var (ours, tools) = Dense(costs, out var ourTotal, out var toolsTotal);
            if (ourTotal != toolsTotal) throw new CommandFailedException($"dense run {run}: our total {ourTotal} differs from OR-Tools {toolsTotal}");
            oursDense.Add(ours);
            toolsDense.Add(tools);
            Console.WriteLine($"[bench-solver]   run {run + 1}: ours {ours:0.0} ms, OR-Tools {tools:0.0} ms, total {ourTotal} (equal)");
        }

        Console.WriteLine($"[bench-solver] sparse {orders} orders × {couriers} couriers × {candidates} candidates, {runs} run(s)");
        var (oursSparse, toolsSparse) = (new List<double>(), new List<double>());
        for (var run = 0; run < runs; run++)
        {
            var arcs = SparseInstance(random, orders, couriers, candidates);
            var (ours, tools, toolsBuild, ourTotal, toolsTotal, assigned) = Sparse(arcs, couriers);
            if (ourTotal != toolsTotal) throw new CommandFailedException($"sparse run {run}: our total {ourTotal} differs from OR-Tools {toolsTotal}");
            oursSparse.Add(ours);
            toolsSparse.Add(tools);
            Console.WriteLine($"[bench-solver]   run {run + 1}: ours {ours:0.0} ms, OR-Tools {tools:0.0} ms (building arcs {toolsBuild:0.0} ms), {assigned} assigned, total {ourTotal} (equal)");
        }

        double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        var (d1, d2, s1, s2) = (Median(oursDense), Median(toolsDense), Median(oursSparse), Median(toolsSparse));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SUMMARY dense={dense} ours_ms={d1:0.0} ortools_ms={d2:0.0} dense_ratio={d1 / d2:0.00} (goal <= 1) | " +
            $"sparse={orders}x{couriers}x{candidates} ours_ms={s1:0.0} ortools_ms={s2:0.0} sparse_ratio={s1 / s2:0.00} (goal <= 0.25)"));
        return Task.FromResult(CliApp.Ok);
    }

    private static long[,] Matrix(Random random, int n)
    {
        var costs = new long[n, n];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
                costs[r, c] = random.Next(10_000);
        return costs;
    }

    private static (double Ours, double Tools) Dense(long[,] costs, out long ourTotal, out long toolsTotal)
    {
        var n = costs.GetLength(0);
        var watch = Stopwatch.StartNew();
        var result = AssignmentSolver.SolveDense(costs);
        var ours = watch.Elapsed.TotalMilliseconds;
        ourTotal = result.TotalCost;

        watch.Restart();
        var assignment = new LinearSumAssignment();
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
                assignment.AddArcWithCost(r, c, costs[r, c]);
        if (assignment.Solve() != LinearSumAssignment.Status.OPTIMAL) throw new CommandFailedException("OR-Tools found no optimal dense assignment");
        toolsTotal = assignment.OptimalCost();
        return (ours, watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>Per order: distinct random couriers with costs like seconds to pickup (60..1800).</summary>
    private static List<IReadOnlyList<AssignmentCandidate>> SparseInstance(Random random, int orders, int couriers, int candidates)
    {
        var all = new List<IReadOnlyList<AssignmentCandidate>>(orders);
        for (var o = 0; o < orders; o++)
        {
            var seen = new HashSet<int>();
            var list = new List<AssignmentCandidate>(candidates);
            while (list.Count < candidates)
            {
                var c = random.Next(couriers);
                if (seen.Add(c)) list.Add(new AssignmentCandidate(c, 60 + random.Next(1_740)));
            }
            all.Add(list);
        }
        return all;
    }

    private static (double Ours, double Tools, double ToolsBuild, long OurTotal, long ToolsTotal, int Assigned) Sparse(List<IReadOnlyList<AssignmentCandidate>> arcs, int couriers)
    {
        var watch = Stopwatch.StartNew();
        var result = AssignmentSolver.SolveSparse(arcs);
        var ours = watch.Elapsed.TotalMilliseconds;
        var assigned = result.CourierOfOrder.Count(c => c != AssignmentSolver.Unassigned);
        if (assigned != arcs.Count) throw new CommandFailedException($"only {assigned} of {arcs.Count} orders assignable; the comparison needs all (use more candidates)");

        // Min-cost flow: source → order (1) → courier (arc per candidate) → sink (1); every order must get a courier.
        // Nodes and arcs are reserved up front so the build time is the binding's calls, not growing its arrays.
        watch.Restart();
        int source = 0, sink = 1, firstOrder = 2, firstCourier = 2 + arcs.Count;
        var arcCount = arcs.Count + couriers + arcs.Sum(a => a.Count);
        var flow = new MinCostFlow(firstCourier + couriers, arcCount);
        for (var o = 0; o < arcs.Count; o++)
        {
            flow.AddArcWithCapacityAndUnitCost(source, firstOrder + o, 1, 0);
            foreach (var a in arcs[o]) flow.AddArcWithCapacityAndUnitCost(firstOrder + o, firstCourier + a.Courier, 1, a.Cost);
        }
        for (var c = 0; c < couriers; c++) flow.AddArcWithCapacityAndUnitCost(firstCourier + c, sink, 1, 0);
        flow.SetNodeSupply(source, arcs.Count);
        flow.SetNodeSupply(sink, -arcs.Count);
        var build = watch.Elapsed.TotalMilliseconds;
        if (flow.Solve() != MinCostFlowBase.Status.OPTIMAL) throw new CommandFailedException("OR-Tools min-cost flow found no optimal assignment");
        return (ours, watch.Elapsed.TotalMilliseconds, build, result.TotalCost, flow.OptimalCost(), assigned);
    }
}
