namespace Dispatch.Core.Matching.Assignment;

/// <summary>
/// The shortest-augmenting-path method on the candidate arcs only: one Dijkstra per order over reduced costs (a binary
/// heap, stopping at the first free courier), with row and column potentials kept dual-feasible. Every order also has
/// a private "unassigned" column whose cost exceeds any difference between real totals, so the matching first assigns
/// as many orders as possible, then minimises the total. Work grows with the arcs a search touches, not orders ×
/// couriers, which is what a few dozen GEOSEARCH candidates per order call for.
/// </summary>
internal sealed class SparseShortestAugmentingPath
{
    private readonly int[] _rowStart;   // arcs of row r: [_rowStart[r], _rowStart[r + 1])
    private readonly int[] _arcColumn;
    private readonly long[] _arcCost;   // offset so the cheapest real arc costs 0; the last arc of each row is its unassigned column
    private readonly int _rows;
    private readonly int _columns;      // real columns, then one unassigned column per row

    public SparseShortestAugmentingPath(IReadOnlyList<IReadOnlyList<(int Column, long Cost)>> rows, int realColumns)
    {
        _rows = rows.Count;
        _columns = realColumns + _rows;
        long min = long.MaxValue, max = long.MinValue;
        var arcs = 0;
        foreach (var row in rows)
        {
            foreach (var (_, cost) in row)
            {
                min = Math.Min(min, cost);
                max = Math.Max(max, cost);
            }
            arcs += row.Count + 1;
        }
        var offset = min == long.MaxValue ? 0 : min;
        var range = min == long.MaxValue ? 0 : checked(max - min);
        var unassignedCost = checked((Math.Min(_rows, realColumns) * range) + 1);
        if (checked(unassignedCost * (_rows + 2)) >= long.MaxValue / 4)
            throw new OverflowException("Assignment costs span too wide a range for exact 64-bit arithmetic.");

        _rowStart = new int[_rows + 1];
        _arcColumn = new int[arcs];
        _arcCost = new long[arcs];
        var k = 0;
        for (var r = 0; r < _rows; r++)
        {
            _rowStart[r] = k;
            foreach (var (column, cost) in rows[r])
            {
                _arcColumn[k] = column;
                _arcCost[k++] = cost - offset;
            }
            _arcColumn[k] = realColumns + r;
            _arcCost[k++] = unassignedCost;
        }
        _rowStart[_rows] = k;
        RealColumns = realColumns;
    }

    public int RealColumns { get; }

    /// <summary>The column of every row (real columns only), or <see cref="AssignmentSolver.Unassigned"/>.</summary>
    public int[] Run()
    {
        var u = new long[_rows];
        var v = new long[_columns];
        var columnOfRow = new int[_rows];
        var rowOfColumn = new int[_columns];
        Array.Fill(rowOfColumn, -1);
        var dist = new long[_columns];
        Array.Fill(dist, long.MaxValue);
        var fromRow = new int[_columns];   // the row a column was reached from on the current search
        var done = new bool[_columns];
        var touched = new List<int>();
        var finished = new List<int>();
        var heap = new PriorityQueue<int, (long Distance, int Column)>(); // on equal distance the lower column: callers list real couriers first

        for (var start = 0; start < _rows; start++)
        {
            touched.Clear();
            finished.Clear();
            heap.Clear();
            Relax(start, 0);
            int free;
            long reach;
            while (true)
            {
                heap.TryDequeue(out var j, out var key); // never empty: the start row's own unassigned column is always free
                var d = key.Distance;
                if (done[j] || d > dist[j]) continue;
                done[j] = true;
                finished.Add(j);
                if (rowOfColumn[j] < 0)
                {
                    (free, reach) = (j, d);
                    break;
                }
                Relax(rowOfColumn[j], d);
            }

            // Potentials: columns settled before the free one move by how much sooner they were reached.
            foreach (var j in finished) v[j] -= reach - dist[j];
            // Augment along the path back to the start row.
            for (var j = free; ;)
            {
                var i = fromRow[j];
                var previous = i == start ? -1 : columnOfRow[i];
                columnOfRow[i] = j;
                rowOfColumn[j] = i;
                if (previous < 0) break;
                j = previous;
            }
            // Rows on matched arcs are tight: u = c − v.
            foreach (var j in finished)
            {
                var i = rowOfColumn[j];
                if (i >= 0) u[i] = Cost(i, j) - v[j];
            }
            foreach (var j in touched)
            {
                dist[j] = long.MaxValue;
                done[j] = false;
            }
        }

        var result = new int[_rows];
        for (var r = 0; r < _rows; r++) result[r] = columnOfRow[r] < RealColumns ? columnOfRow[r] : AssignmentSolver.Unassigned;
        return result;

        void Relax(int row, long d)
        {
            for (var k = _rowStart[row]; k < _rowStart[row + 1]; k++)
            {
                var j = _arcColumn[k];
                if (done[j]) continue;
                var candidate = d + _arcCost[k] - u[row] - v[j];
                if (candidate < dist[j])
                {
                    if (dist[j] == long.MaxValue) touched.Add(j);
                    dist[j] = candidate;
                    fromRow[j] = row;
                    heap.Enqueue(j, (candidate, j));
                }
            }
        }
    }

    private long Cost(int row, int column)
    {
        for (var k = _rowStart[row]; k < _rowStart[row + 1]; k++)
            if (_arcColumn[k] == column) return _arcCost[k];
        throw new InvalidOperationException($"Row {row} has no arc to column {column}.");
    }
}
