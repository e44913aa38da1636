namespace Dispatch.Core.Matching.Assignment;

/// <summary>
/// Exact minimum-cost assignment of orders (rows) to couriers (columns), each used at most once, for rectangular
/// problems with forbidden pairs. Among all matchings it first maximises the number of assigned orders, then
/// minimises the total cost: an order is left unassigned only when assigning it would leave another order without
/// a courier or when no feasible courier exists, never forced onto a forbidden pair.
/// </summary>
/// <remarks>
/// Shortest augmenting paths with dual potentials (the Hungarian method in its Jonker–Volgenant form), O(n²·m)
/// for n ≤ m. Orders that may go unassigned get a private "unassigned" column whose cost exceeds any possible
/// difference between real totals, so cardinality always wins over cost. Costs are integers so optimality is
/// exact and ties resolve deterministically.
/// </remarks>
public static class AssignmentSolver
{
    /// <summary>Marks a pair that must never be assigned in a dense cost matrix.</summary>
    public const long Forbidden = long.MaxValue;

    /// <summary>The courier value of an order left without one.</summary>
    public const int Unassigned = -1;

    /// <summary>Solves a dense problem: <paramref name="costs"/>[order, courier], <see cref="Forbidden"/> for infeasible pairs.</summary>
    public static AssignmentResult SolveDense(long[,] costs)
    {
        ArgumentNullException.ThrowIfNull(costs);
        int rows = costs.GetLength(0), cols = costs.GetLength(1);
        var flat = new long[rows * cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                flat[(r * cols) + c] = costs[r, c];
        return Solve(flat, rows, cols);
    }

    /// <summary>
    /// Solves a sparse problem: per order its feasible couriers (as GEOSEARCH returns a few dozen per order), on those
    /// arcs only (<see cref="SparseShortestAugmentingPath"/>). A courier listed twice for one order keeps its cheaper cost.
    /// </summary>
    public static AssignmentResult SolveSparse(IReadOnlyList<IReadOnlyList<AssignmentCandidate>> candidatesPerOrder)
    {
        ArgumentNullException.ThrowIfNull(candidatesPerOrder);
        var arcs = SparseArcs.From(candidatesPerOrder);
        var arcOfRow = new SparseShortestAugmentingPath(arcs).Run();
        var courierOfOrder = new int[arcs.Rows];
        long total = 0;
        var unassigned = new List<int>();
        for (var r = 0; r < arcs.Rows; r++)
        {
            var k = arcOfRow[r];
            if (k < 0)
            {
                courierOfOrder[r] = Unassigned;
                unassigned.Add(r);
                continue;
            }
            courierOfOrder[r] = arcs.CourierOfColumn[arcs.Column[k]];
            total = checked(total + arcs.Cost[k]);
        }
        return new AssignmentResult(courierOfOrder, total, unassigned);
    }

    private static AssignmentResult Solve(long[] flat, int rows, int cols)
    {
        var courierOfOrder = new int[rows];
        Array.Fill(courierOfOrder, Unassigned);
        if (rows > 0 && cols > 0)
        {
            var complete = Array.IndexOf(flat, Forbidden) < 0;
            if (complete && rows > cols)
            {
                // More orders than couriers with every pair allowed: solve couriers × orders, every courier gets one.
                var transposed = new long[flat.Length];
                for (var r = 0; r < rows; r++)
                    for (var c = 0; c < cols; c++)
                        transposed[(c * rows) + r] = flat[(r * cols) + c];
                var orderOfCourier = new ShortestAugmentingPath(transposed, cols, rows, withUnassignedColumns: false).Run();
                for (var c = 0; c < cols; c++) courierOfOrder[orderOfCourier[c]] = c;
            }
            else
            {
                new ShortestAugmentingPath(flat, rows, cols, withUnassignedColumns: !complete).Run().CopyTo(courierOfOrder, 0);
            }
        }
        long total = 0;
        var unassigned = new List<int>();
        for (var r = 0; r < rows; r++)
        {
            if (courierOfOrder[r] == Unassigned) unassigned.Add(r);
            else total = checked(total + flat[(r * cols) + courierOfOrder[r]]);
        }
        return new AssignmentResult(courierOfOrder, total, unassigned);
    }
}
