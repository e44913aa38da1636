namespace Dispatch.Core.Matching.Assignment;

/// <summary>
/// The shortest-augmenting-path method on the candidate arcs only: one Dijkstra per order over reduced costs (a binary
/// heap, stopping at the first free courier), with row and column potentials kept dual-feasible. Every order also has
/// a private "unassigned" column whose cost exceeds any difference between real totals, so the matching first assigns
/// as many orders as possible, then minimises the total. Work grows with the arcs a search touches, not orders ×
/// couriers, which is what a few dozen GEOSEARCH candidates per order call for; and an order whose best column is
/// still free takes it without a search at all (most orders, when couriers outnumber them).
/// </summary>
/// <remarks>
/// Invariants between searches: every arc has reduced cost c − u[row] − v[column] ≥ 0, matched arcs have 0, and
/// v ≤ 0 with v = 0 on every free column (columns need not all be used), so the final matching is optimal.
/// </remarks>
internal sealed class SparseShortestAugmentingPath
{
    // _arcOfRow values besides real arcs: not matched yet, or matched to the row's own unassigned column.
    private const int Unmatched = -1;
    private const int UnassignedArc = -2;

    private readonly int[] _rowStart;   // real arcs of row r: [_rowStart[r], _rowStart[r + 1]), read in place
    private readonly int[] _arcColumn;
    private readonly long[] _arcCost;   // the caller's costs; reduced costs subtract _offset so the cheapest real arc costs 0
    private readonly long _offset;
    private readonly long _unassignedCost; // of every row's own unassigned column (after the offset)
    private readonly int _rows;
    private readonly int _realColumns;  // then column _realColumns + r is row r's unassigned column

    // Search state, allocated once per solve. A column's distance is valid only when its stamp equals the search's.
    private readonly long[] _u;
    private readonly long[] _v;
    private readonly int[] _arcOfRow;     // the matched arc of each row, or Unmatched / UnassignedArc
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
        _rowStart = arcs.RowStart;
        _arcColumn = arcs.Column;
        _arcCost = arcs.Cost;
        long min = long.MaxValue, max = long.MinValue;
        foreach (var cost in _arcCost.AsSpan(0, _rowStart[_rows]))
        {
            min = Math.Min(min, cost);
            max = Math.Max(max, cost);
        }
        _offset = min == long.MaxValue ? 0 : min;
        var range = min == long.MaxValue ? 0 : checked(max - min);
        _unassignedCost = checked((Math.Min(_rows, _realColumns) * range) + 1);
        if (checked(_unassignedCost * (_rows + 2)) >= long.MaxValue / 4)
            throw new OverflowException("Assignment costs span too wide a range for exact 64-bit arithmetic.");

        var columns = _realColumns + _rows;
        _u = new long[_rows];
        _v = new long[columns];
        _arcOfRow = new int[_rows];
        _rowOfColumn = new int[columns];
        _distance = new long[columns];
        _reachedIn = new int[columns];
        _fromArc = new int[columns];
        _fromRow = new int[columns];
        _settled = new int[columns];
    }

    /// <summary>
    /// Per row, the index of its matched arc in <see cref="SparseArcs"/> numbering, or -1 when the row is left
    /// unassigned.
    /// </summary>
    public int[] Run()
    {
        Array.Fill(_arcOfRow, Unmatched);
        Array.Fill(_rowOfColumn, -1);
        for (var start = 0; start < _rows; start++)
        {
            if (!TakeCheapestIfFree(start)) Augment(start);
        }

        var result = new int[_rows];
        for (var r = 0; r < _rows; r++) result[r] = Math.Max(_arcOfRow[r], -1);
        return result;
    }

    // The warm start, row by row. A search from an unmatched row settles first its arc of least reduced cost (the
    // lower column on a tie); when that column is free the search ends right there with no potential changing, so
    // the row takes it without a heap, and u = c − v makes the arc tight. Only rows whose best column is already
    // taken need the search. Done in row order, between the searches, the result is exactly the one the searches
    // alone would give, ties included; deferring contested rows to the end would pick other optima among ties.
    private bool TakeCheapestIfFree(int row)
    {
        // The row's own unassigned column is last in column order and still free (only this row reaches it).
        var best = UnassignedArc;
        var bestColumn = _realColumns + row;
        var bestReduced = _unassignedCost - _v[bestColumn];
        for (var k = _rowStart[row]; k < _rowStart[row + 1]; k++)
        {
            var j = _arcColumn[k];
            var reduced = _arcCost[k] - _offset - _v[j];
            if (reduced < bestReduced || (reduced == bestReduced && j < bestColumn))
            {
                (best, bestColumn, bestReduced) = (k, j, reduced);
            }
        }
        if (_rowOfColumn[bestColumn] >= 0) return false;
        _rowOfColumn[bestColumn] = row;
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
            if (previous == Unmatched) break;
            j = ColumnOf(previous, i);
        }
        // Rows on matched arcs are tight: u = c − v.
        for (var s = 0; s < settledCount; s++)
        {
            var j = settled[s];
            var i = _rowOfColumn[j];
            if (i >= 0) u[i] = OffsetCost(_arcOfRow[i]) - v[j];
        }
    }

    private void Relax(int row, long d, int stamp)
    {
        var arcColumn = _arcColumn;
        var arcCost = _arcCost;
        var v = _v;
        var distance = _distance;
        var reachedIn = _reachedIn;
        var offset = _offset;
        var baseline = d - _u[row];
        for (var k = _rowStart[row]; k < _rowStart[row + 1]; k++)
        {
            var j = arcColumn[k];
            // Settled columns never improve: reduced costs are ≥ 0, so candidate ≥ d ≥ their distance.
            var candidate = baseline + (arcCost[k] - offset) - v[j];
            if (reachedIn[j] != stamp || candidate < distance[j]) Reach(j, candidate, row, k, stamp);
        }
        var own = _realColumns + row;
        var wait = baseline + _unassignedCost - v[own];
        if (reachedIn[own] != stamp || wait < distance[own]) Reach(own, wait, row, UnassignedArc, stamp);
    }

    private void Reach(int column, long distance, int row, int arc, int stamp)
    {
        _reachedIn[column] = stamp;
        _distance[column] = distance;
        _fromArc[column] = arc;
        _fromRow[column] = row;
        _heap.Push(distance, column);
    }

    private int ColumnOf(int arc, int row) => arc == UnassignedArc ? _realColumns + row : _arcColumn[arc];

    // An arc's cost after the offset: what reduced costs are computed from.
    private long OffsetCost(int arc) => arc == UnassignedArc ? _unassignedCost : _arcCost[arc] - _offset;
}
