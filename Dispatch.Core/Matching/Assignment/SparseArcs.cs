using System.Runtime.InteropServices;

namespace Dispatch.Core.Matching.Assignment;

/// <summary>
/// A sparse problem in compressed rows: the arcs of order r are [<see cref="RowStart"/>[r], <see cref="RowStart"/>[r + 1]).
/// Columns number the distinct couriers in order of first appearance (so a caller listing real couriers before
/// "wait" options gets them lower columns); <see cref="CourierOfColumn"/> maps back to the caller's index. Forbidden
/// candidates are dropped and a courier listed twice for one order keeps its cheaper cost, in its first position.
/// </summary>
internal sealed class SparseArcs
{
    // Courier indexes below 4 per arc (plus 1,024) are positions in a caller's list and map through a flat array;
    // larger ones are ids and map through a dictionary.
    private const int ArrayMapSlackPerArc = 4;

    private SparseArcs(int[] rowStart, int[] column, long[] cost, int[] courierOfColumn, int columns)
    {
        RowStart = rowStart;
        Column = column;
        Cost = cost;
        CourierOfColumn = courierOfColumn;
        Columns = columns;
    }

    public int Rows => RowStart.Length - 1;

    public int Columns { get; }

    public int[] RowStart { get; }

    public int[] Column { get; }

    public long[] Cost { get; }

    public int[] CourierOfColumn { get; }

    public static SparseArcs From(IReadOnlyList<IReadOnlyList<AssignmentCandidate>> candidatesPerOrder)
    {
        var rows = candidatesPerOrder.Count;
        var capacity = 0;
        var maxCourier = -1;
        for (var r = 0; r < rows; r++)
        {
            var list = Span(candidatesPerOrder[r]);
            capacity += list.Length;
            foreach (var candidate in list)
            {
                if (candidate.Courier < 0) throw new ArgumentException("Courier indexes must be ≥ 0.", nameof(candidatesPerOrder));
                maxCourier = Math.Max(maxCourier, candidate.Courier);
            }
        }

        // Caller's courier index → column: a flat array when the indexes are compact (positions in a list, as
        // callers pass), a dictionary otherwise.
        int[]? columnOfCourier = null;
        Dictionary<int, int>? columnOfSparseCourier = null;
        if (maxCourier < ((long)ArrayMapSlackPerArc * capacity) + 1024)
        {
            columnOfCourier = new int[maxCourier + 1];
            Array.Fill(columnOfCourier, -1);
        }
        else
        {
            columnOfSparseCourier = new Dictionary<int, int>(capacity);
        }
        var rowStart = new int[rows + 1];
        var column = new int[capacity];
        var cost = new long[capacity];
        var maxColumns = (int)Math.Min(capacity, maxCourier + 1L);
        var courierOfColumn = new int[maxColumns];
        var columns = 0;
        var lastRowOf = new int[maxColumns];   // per column: the last row that listed it, so duplicates cost O(1) to spot
        Array.Fill(lastRowOf, -1);
        var k = 0;
        for (var r = 0; r < rows; r++)
        {
            rowStart[r] = k;
            foreach (var candidate in Span(candidatesPerOrder[r]))
            {
                if (candidate.Cost == AssignmentSolver.Forbidden) continue;
                int j;
                if (columnOfCourier is not null) j = columnOfCourier[candidate.Courier];
                else if (!columnOfSparseCourier!.TryGetValue(candidate.Courier, out j)) j = -1;
                if (j < 0)
                {
                    j = columns++;
                    if (columnOfCourier is not null) columnOfCourier[candidate.Courier] = j;
                    else columnOfSparseCourier![candidate.Courier] = j;
                    courierOfColumn[j] = candidate.Courier;
                }
                if (lastRowOf[j] == r)
                {
                    var first = Array.IndexOf(column, j, rowStart[r], k - rowStart[r]);
                    cost[first] = Math.Min(cost[first], candidate.Cost);
                    continue;
                }
                lastRowOf[j] = r;
                column[k] = j;
                cost[k++] = candidate.Cost;
            }
        }
        rowStart[rows] = k;
        return new SparseArcs(rowStart, column, cost, courierOfColumn, columns);
    }

    // Arrays and lists are read in place; any other list is copied.
    private static ReadOnlySpan<AssignmentCandidate> Span(IReadOnlyList<AssignmentCandidate> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return list switch
        {
            AssignmentCandidate[] array => array,
            List<AssignmentCandidate> growable => CollectionsMarshal.AsSpan(growable),
            _ => list.ToArray(),
        };
    }
}
