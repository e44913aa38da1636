namespace Dispatch.Core.Matching.Assignment;

/// <summary>
/// The Hungarian method by shortest augmenting paths (one Dijkstra-like sweep per row over reduced costs, with
/// row and column potentials kept dual-feasible), for rows ≤ columns, or any shape when every row gets a private
/// "unassigned" column. Indexes inside are 1-based with column 0 as the sweep's virtual root.
/// </summary>
internal sealed class ShortestAugmentingPath
{
    // Larger than any reduced cost that can occur, small enough that adding two never overflows.
    private const long Infinity = long.MaxValue / 4;

    private readonly long[] _costs;        // row-major rows × cols, Forbidden for infeasible pairs
    private readonly int _rows;
    private readonly int _cols;
    private readonly int _allCols;         // cols, plus one unassigned column per row when enabled
    private readonly long _offset;         // subtracted from every real cost so they start at 0
    private readonly long _unassignedCost; // cost of a row's own unassigned column (after the offset)

    public ShortestAugmentingPath(long[] costs, int rows, int cols, bool withUnassignedColumns)
    {
        if (!withUnassignedColumns && rows > cols) throw new ArgumentException("Rows must not exceed columns without unassigned columns.");
        _costs = costs;
        _rows = rows;
        _cols = cols;
        _allCols = withUnassignedColumns ? cols + rows : cols;
        long min = long.MaxValue, max = long.MinValue;
        foreach (var c in costs)
        {
            if (c == AssignmentSolver.Forbidden) continue;
            min = Math.Min(min, c);
            max = Math.Max(max, c);
        }
        _offset = min == long.MaxValue ? 0 : min;
        // Any matching with one more real pair must be cheaper: totals of real pairs differ by at most
        // min(rows, cols) × range, so the unassigned cost exceeds that. Potentials and path lengths stay below
        // (rows + 1) × the largest edge; costs too wide for that in 64 bits are a caller bug, reported as such.
        var range = min == long.MaxValue ? 0 : checked(max - min);
        _unassignedCost = checked((Math.Min(rows, cols) * range) + 1);
        var largestEdge = withUnassignedColumns ? _unassignedCost : range;
        if (checked(largestEdge * (rows + 2)) >= Infinity)
            throw new OverflowException("Assignment costs span too wide a range for exact 64-bit arithmetic.");
    }

    /// <summary>Returns the column (0-based) of every row, or <see cref="AssignmentSolver.Unassigned"/>.</summary>
    public int[] Run()
    {
        int n = _rows, m = _allCols;
        var u = new long[n + 1];
        var v = new long[m + 1];
        var rowOfCol = new int[m + 1];   // 0 = free
        var way = new int[m + 1];
        var minv = new long[m + 1];
        var used = new bool[m + 1];

        for (var i = 1; i <= n; i++)
        {
            rowOfCol[0] = i;
            var j0 = 0;
            Array.Fill(minv, Infinity);
            Array.Clear(used);
            do
            {
                used[j0] = true;
                var i0 = rowOfCol[j0];
                var delta = Infinity;
                var j1 = 0;
                var rowStart = (i0 - 1) * _cols;
                for (var j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    var c = Cost(rowStart, i0, j);
                    if (c != AssignmentSolver.Forbidden)
                    {
                        var reduced = c - u[i0] - v[j];
                        if (reduced < minv[j])
                        {
                            minv[j] = reduced;
                            way[j] = j0;
                        }
                    }
                    if (minv[j] < delta)
                    {
                        delta = minv[j];
                        j1 = j;
                    }
                }
                if (j1 == 0) throw new InvalidOperationException("No augmenting path: a row has no feasible column.");
                for (var j = 0; j <= m; j++)
                {
                    if (used[j])
                    {
                        u[rowOfCol[j]] += delta;
                        v[j] -= delta;
                    }
                    else if (minv[j] < Infinity)
                    {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            }
            while (rowOfCol[j0] != 0);
            do
            {
                var j1 = way[j0];
                rowOfCol[j0] = rowOfCol[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }

        var colOfRow = new int[n];
        Array.Fill(colOfRow, AssignmentSolver.Unassigned);
        for (var j = 1; j <= _cols; j++)
            if (rowOfCol[j] != 0) colOfRow[rowOfCol[j] - 1] = j - 1;
        return colOfRow;
    }

    // Column j (1-based): a real courier, or the unassigned column that belongs to row (j - cols) only.
    private long Cost(int rowStart, int row, int j)
    {
        if (j <= _cols)
        {
            var c = _costs[rowStart + j - 1];
            return c == AssignmentSolver.Forbidden ? c : c - _offset;
        }
        return j - _cols == row ? _unassignedCost : AssignmentSolver.Forbidden;
    }
}
