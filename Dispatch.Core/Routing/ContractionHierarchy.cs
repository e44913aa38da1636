namespace Dispatch.Core.Routing;

/// <summary>
/// A contracted road graph (one vehicle's priced arcs plus shortcuts, each vertex ranked by when it was contracted) for
/// cold many-to-many travel times: backward upward searches from the targets leave (target, seconds) in buckets at the
/// vertices they settle; forward upward searches from the sources scan those buckets; the least sum is the fastest time.
/// Both searches stall vertices a higher one already reaches more cheaply. Seconds equal a full Dijkstra's (to float
/// rounding), unbounded (plain Dijkstra stops at <see cref="RoadGraph.MaxSeconds"/>); ∞ where unreachable. Immutable and
/// thread-safe.
/// </summary>
public sealed class ContractionHierarchy
{
    // Compressed rows. Up: arcs v → w to higher-ranked w. Down: arcs w → v from higher-ranked w, stored at v.
    private readonly int[] _upStart;
    private readonly int[] _upTo;
    private readonly double[] _upSeconds;
    private readonly int[] _downStart;
    private readonly int[] _downFrom;
    private readonly double[] _downSeconds;

    [ThreadStatic] private static Scratch? t_scratch;

    private ContractionHierarchy(int[] upStart, int[] upTo, double[] upSeconds, int[] downStart, int[] downFrom, double[] downSeconds, int shortcuts)
    {
        (_upStart, _upTo, _upSeconds, _downStart, _downFrom, _downSeconds) = (upStart, upTo, upSeconds, downStart, downFrom, downSeconds);
        ShortcutCount = shortcuts;
    }

    /// <summary>Contracts a directed graph of <paramref name="vertexCount"/> vertices and arcs priced in seconds (non-negative).</summary>
    public static ContractionHierarchy Build(int vertexCount, IEnumerable<(int From, int To, double Seconds)> arcs) =>
        new HierarchyBuilder(vertexCount, arcs).Build();

    internal static ContractionHierarchy From((int To, double Seconds)[][] upward, (int From, double Seconds)[][] downward, int shortcuts)
    {
        var (upStart, upTo, upSeconds) = Rows(upward);
        var (downStart, downFrom, downSeconds) = Rows(downward);
        return new ContractionHierarchy(upStart, upTo, upSeconds, downStart, downFrom, downSeconds, shortcuts);
    }

    private static (int[], int[], double[]) Rows((int Vertex, double Seconds)[][] rows)
    {
        var start = new int[rows.Length + 1];
        for (var v = 0; v < rows.Length; v++) start[v + 1] = start[v] + (rows[v]?.Length ?? 0);
        var to = new int[start[^1]];
        var seconds = new double[start[^1]];
        for (var v = 0; v < rows.Length; v++)
        {
            var k = start[v];
            foreach (var (w, s) in rows[v] ?? [])
            {
                to[k] = w;
                seconds[k++] = s;
            }
        }
        return (start, to, seconds);
    }

    public int VertexCount => _upStart.Length - 1;

    /// <summary>Arcs added by contraction (not in the original graph).</summary>
    public int ShortcutCount { get; }

    /// <summary>Arcs the queries search (original arcs, each stored once, plus shortcuts).</summary>
    public int ArcCount => _upTo.Length + _downFrom.Length;

    /// <summary>Bytes the query structure holds (its arrays).</summary>
    public long Bytes => 4L * (_upStart.Length + _downStart.Length) + 12L * ArcCount;

    /// <summary>Seconds from each source to each target, [source, target]; ∞ where unreachable.</summary>
    public double[,] Matrix(IReadOnlyList<int> sources, IReadOnlyList<int> targets)
    {
        var scratch = t_scratch is { } s && s.Dist.Length == VertexCount ? s : t_scratch = new Scratch(VertexCount);
        var result = new double[sources.Count, targets.Count];
        for (var i = 0; i < sources.Count; i++)
        {
            for (var j = 0; j < targets.Count; j++) result[i, j] = double.PositiveInfinity;
        }

        // Buckets: per vertex a chain of (target, seconds to it) entries.
        var entries = new List<(int Target, double Seconds, int Next)>();
        var head = scratch.Head;
        var headed = new List<int>();
        try
        {
            for (var j = 0; j < targets.Count; j++)
            {
                Search(scratch, targets[j], _downStart, _downFrom, _downSeconds, _upStart, _upTo, _upSeconds, (v, d) =>
                {
                    if (head[v] < 0) headed.Add(v);
                    entries.Add((j, d, head[v]));
                    head[v] = entries.Count - 1;
                });
            }
            for (var i = 0; i < sources.Count; i++)
            {
                Search(scratch, sources[i], _upStart, _upTo, _upSeconds, _downStart, _downFrom, _downSeconds, (v, d) =>
                {
                    for (var e = head[v]; e >= 0; e = entries[e].Next)
                    {
                        var (target, toTarget, _) = entries[e];
                        var total = d + toTarget;
                        if (total < result[i, target]) result[i, target] = total;
                    }
                });
            }
        }
        finally
        {
            foreach (var v in headed) head[v] = -1;
        }
        return result;
    }

    /// <summary>
    /// Dijkstra from <paramref name="origin"/> along the given arcs (all lead to higher ranks), calling
    /// <paramref name="settled"/> for each vertex settled and not stalled. A vertex is stalled when one of its
    /// opposite-direction arcs from a higher vertex already reached gives it less: its label cannot be on a shortest path.
    /// </summary>
    private static void Search(Scratch scratch, int origin, int[] start, int[] next, double[] seconds,
        int[] stallStart, int[] stallFrom, double[] stallSeconds, Action<int, double> settled)
    {
        var dist = scratch.Dist;
        var touched = scratch.Touched;
        var queue = scratch.Queue;
        queue.Clear();
        dist[origin] = 0;
        touched.Add(origin);
        queue.Enqueue(origin, 0);
        while (queue.TryDequeue(out var v, out var d))
        {
            if (d > dist[v]) continue;
            var stalled = false;
            for (var k = stallStart[v]; k < stallStart[v + 1] && !stalled; k++)
            {
                stalled = dist[stallFrom[k]] + stallSeconds[k] < d;
            }
            if (stalled) continue;
            settled(v, d);
            for (var k = start[v]; k < start[v + 1]; k++)
            {
                var w = next[k];
                var candidate = d + seconds[k];
                if (candidate < dist[w])
                {
                    if (double.IsPositiveInfinity(dist[w])) touched.Add(w);
                    dist[w] = candidate;
                    queue.Enqueue(w, candidate);
                }
            }
        }
        foreach (var t in touched) dist[t] = double.PositiveInfinity;
        touched.Clear();
    }

    /// <summary>Per-thread search arrays, reset after each search (so a query allocates only its buckets).</summary>
    private sealed class Scratch
    {
        public Scratch(int n)
        {
            Dist = new double[n];
            Array.Fill(Dist, double.PositiveInfinity);
            Head = new int[n];
            Array.Fill(Head, -1);
        }

        public double[] Dist { get; }
        public int[] Head { get; }
        public List<int> Touched { get; } = [];
        public PriorityQueue<int, double> Queue { get; } = new();
    }
}
