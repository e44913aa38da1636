namespace Dispatch.Core.Matching.Assignment;

/// <summary>
/// The shortest-augmenting-path method on the candidate arcs only: one Dijkstra per order over reduced costs (a binary
/// heap, stopping at the first free courier), with row and column potentials kept dual-feasible. Every order also has
/// a private "unassigned" column whose cost exceeds any difference between real totals, so the matching first assigns
/// as many orders as possible, then minimises the total. Work grows with the arcs a search touches, not orders ×
/// couriers, which is what a few dozen GEOSEARCH candidates per order call for.
/// </summary>
/// <remarks>
/// Invariants between searches: every arc has reduced cost c − u[row] − v[column] ≥ 0, matched arcs have 0, and
/// v ≤ 0 with v = 0 on every free column (columns need not all be used), so the final matching is optimal.
/// </remarks>
internal sealed class SparseShortestAugmentingPath
{
    private readonly int[] _rowStart;   // arcs of row r: [_rowStart[r], _rowStart[r + 1]); the last is its unassigned column
    private readonly int[] _arcColumn;
    private readonly long[] _arcCost;   // offset so the cheapest real arc costs 0
    private readonly int _rows;
    private readonly int _realColumns;
    private readonly int _columns;      // real columns, then one unassigned column per row

    // Search state, allocated once per solve. A column's distance is valid only when its stamp equals the search's.
    private readonly long[] _u;
    private readonly long[] _v;
    private readonly int[] _arcOfRow;     // the matched arc of each row, -1 while unmatched
    private readonly int[] _rowOfColumn;  // -1 = free
    private readonly long[] _distance;
    private readonly int[] _reachedIn;    // the search (start row + 1) that last reached a column
    private readonly int[] _fromArc;      // the arc a column was reached through on that search
    private readonly int[] _fromRow;      // and that arc's row
    private readonly int[] _settled;      // columns taken off the heap on the current search, in order
    private readonly ColumnHeap _heap = new();

    public SparseShortestAugmentingPath(SparseArcs arcs)
    {
        _rows = arcs.Rows;
        _realColumns = arcs.Columns;
        _columns = _realColumns + _rows;
        long min = long.MaxValue, max = long.MinValue;
        foreach (var cost in arcs.Cost.AsSpan(0, arcs.RowStart[_rows]))
        {
            min = Math.Min(min, cost);
            max = Math.Max(max, cost);
        }
        var offset = min == long.MaxValue ? 0 : min;
        var range = min == long.MaxValue ? 0 : checked(max - min);
        var unassignedCost = checked((Math.Min(_rows, _realColumns) * range) + 1);
        if (checked(unassignedCost * (_rows + 2)) >= long.MaxValue / 4)
            throw new OverflowException("Assignment costs span too wide a range for exact 64-bit arithmetic.");

        var total = arcs.RowStart[_rows] + _rows;
        _rowStart = new int[_rows + 1];
        _arcColumn = new int[total];
        _arcCost = new long[total];
        var k = 0;
        for (var r = 0; r < _rows; r++)
        {
            _rowStart[r] = k;
            for (var a = arcs.RowStart[r]; a < arcs.RowStart[r + 1]; a++)
            {
                _arcColumn[k] = arcs.Column[a];
                _arcCost[k++] = arcs.Cost[a] - offset;
            }
            _arcColumn[k] = _realColumns + r;
            _arcCost[k++] = unassignedCost;
        }
        _rowStart[_rows] = k;

        _u = new long[_rows];
        _v = new long[_columns];
        _arcOfRow = new int[_rows];
        _rowOfColumn = new int[_columns];
        _distance = new long[_columns];
        _reachedIn = new int[_columns];
        _fromArc = new int[_columns];
        _fromRow = new int[_columns];
        _settled = new int[_columns];
    }

    /// <summary>
    /// Per row, the index of its matched arc in <see cref="SparseArcs"/> numbering, or -1 when the row is left
    /// unassigned.
    /// </summary>
    public int[] Run()
    {
        Array.Fill(_arcOfRow, -1);
        Array.Fill(_rowOfColumn, -1);
        for (var start = 0; start < _rows; start++)
        {
            if (!TakeCheapestIfFree(start)) Augment(start);
        }

        var result = new int[_rows];
        for (var r = 0; r < _rows; r++)
        {
            var k = _arcOfRow[r];
            // Internal arcs carry one unassigned arc per earlier row, hence the shift back by r.
            result[r] = _arcColumn[k] < _realColumns ? k - r : -1;
        }
        return result;
    }

    // The warm start, row by row. A search from an unmatched row settles first its arc of least reduced cost (the
    // lower column on a tie); when that column is free the search ends right there with no potential changing, so
    // the row takes it without a heap, and u = c − v makes the arc tight. Only rows whose best column is already
    // taken need the search. Done in row order, between the searches, the result is exactly the one the searches
    // alone would give, ties included; deferring contested rows to the end would pick other optima among ties.
    private bool TakeCheapestIfFree(int row)
    {
        var best = _rowStart[row];
        var bestReduced = _arcCost[best] - _v[_arcColumn[best]];
        for (var k = best + 1; k < _rowStart[row + 1]; k++)
        {
            var reduced = _arcCost[k] - _v[_arcColumn[k]];
            if (reduced < bestReduced || (reduced == bestReduced && _arcColumn[k] < _arcColumn[best]))
            {
                best = k;
                bestReduced = reduced;
            }
        }
        var j = _arcColumn[best];
        if (_rowOfColumn[j] >= 0) return false;
        _rowOfColumn[j] = row;
        _arcOfRow[row] = best;
        _u[row] = bestReduced;
        return true;
    }

    // One Dijkstra from the unmatched row `start` to the nearest free column, then the potential update and the
    // augmentation along the path. On equal distance the lower column is settled first: callers list real couriers
    // first, so a courier wins over waiting at equal cost.
    private void Augment(int start)
    {
        var stamp = start + 1;
        var u = _u;
        var v = _v;
        var distance = _distance;
        var settled = _settled;
        var settledCount = 0;
        _heap.Clear();
        Relax(start, 0, stamp);
        int free;
        long reach;
        while (true)
        {
            var (d, j) = _heap.Pop(); // never empty: the start row's own unassigned column is always free
            if (d > distance[j]) continue;
            settled[settledCount++] = j;
            if (_rowOfColumn[j] < 0)
            {
                (free, reach) = (j, d);
                break;
            }
            Relax(_rowOfColumn[j], d, stamp);
        }

        // Potentials: columns settled before the free one move by how much sooner they were reached.
        for (var s = 0; s < settledCount; s++)
        {
            var j = settled[s];
            v[j] -= reach - distance[j];
        }
        // Augment along the path back to the start row.
        for (var j = free; ;)
        {
            var k = _fromArc[j];
            var i = _fromRow[j];
            var previous = _arcOfRow[i];
            _arcOfRow[i] = k;
            _rowOfColumn[j] = i;
            if (previous < 0) break;
            j = _arcColumn[previous];
        }
        // Rows on matched arcs are tight: u = c − v.
        for (var s = 0; s < settledCount; s++)
        {
            var j = settled[s];
            var i = _rowOfColumn[j];
            if (i >= 0) u[i] = _arcCost[_arcOfRow[i]] - v[j];
        }
    }

    private void Relax(int row, long d, int stamp)
    {
        var arcColumn = _arcColumn;
        var arcCost = _arcCost;
        var v = _v;
        var distance = _distance;
        var reachedIn = _reachedIn;
        var baseline = d - _u[row];
        for (var k = _rowStart[row]; k < _rowStart[row + 1]; k++)
        {
            var j = arcColumn[k];
            // Settled columns never improve: reduced costs are ≥ 0, so candidate ≥ d ≥ their distance.
            var candidate = baseline + arcCost[k] - v[j];
            if (reachedIn[j] == stamp && candidate >= distance[j]) continue;
            reachedIn[j] = stamp;
            distance[j] = candidate;
            _fromArc[j] = k;
            _fromRow[j] = row;
            _heap.Push(candidate, j);
        }
    }
}
