namespace Dispatch.Core.Matching.Assignment;

/// <summary>
/// A binary min-heap of (distance, column) for the sparse solver's searches, ordered by distance and then by the lower
/// column, so ties resolve the same way on every run. Stale entries are left in and skipped by the caller. The arrays
/// grow as needed and are reused across the searches of one solve.
/// </summary>
internal sealed class ColumnHeap
{
    private long[] _distance = new long[64];
    private int[] _column = new int[64];

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public void Push(long distance, int column)
    {
        if (Count == _distance.Length)
        {
            Array.Resize(ref _distance, Count * 2);
            Array.Resize(ref _column, Count * 2);
        }
        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Less(distance, column, _distance[parent], _column[parent])) break;
            _distance[i] = _distance[parent];
            _column[i] = _column[parent];
            i = parent;
        }
        _distance[i] = distance;
        _column[i] = column;
    }

    /// <summary>Removes the least entry; the heap must not be empty.</summary>
    public (long Distance, int Column) Pop()
    {
        var top = (_distance[0], _column[0]);
        var last = --Count;
        if (last > 0)
        {
            var distance = _distance[last];
            var column = _column[last];
            var i = 0;
            while (true)
            {
                var child = (2 * i) + 1;
                if (child >= last) break;
                if (child + 1 < last && Less(_distance[child + 1], _column[child + 1], _distance[child], _column[child])) child++;
                if (!Less(_distance[child], _column[child], distance, column)) break;
                _distance[i] = _distance[child];
                _column[i] = _column[child];
                i = child;
            }
            _distance[i] = distance;
            _column[i] = column;
        }
        return top;
    }

    private static bool Less(long distance, int column, long otherDistance, int otherColumn) =>
        distance < otherDistance || (distance == otherDistance && column < otherColumn);
}
