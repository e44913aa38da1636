namespace Dispatch.Core.Routing;

/// <summary>
/// Contracts a directed graph into a <see cref="ContractionHierarchy"/>: vertices are taken least important first
/// (edge difference + deleted neighbours, recomputed lazily when a vertex comes up and for the neighbours of each one
/// contracted); contracting v adds a shortcut u → x for each in-neighbour u and out-neighbour x unless a witness search
/// from u that avoids v finds a path no longer than u → v → x. Witness searches stop after <see cref="SettledLimit"/>
/// settled vertices: a search cut short only adds a shortcut that was not needed, never loses a shortest path.
/// </summary>
internal sealed class HierarchyBuilder
{
    /// <summary>Vertices a witness search settles at most (bounds preprocessing time; more only saves shortcuts).</summary>
    internal const int SettledLimit = 500;

    private readonly int _n;
    private readonly List<(int To, double Seconds)>[] _out;
    private readonly List<(int From, double Seconds)>[] _in;
    private readonly bool[] _contracted;
    private readonly int[] _deletedNeighbours;

    // Witness search scratch, reset through the touched list.
    private readonly double[] _dist;
    private readonly List<int> _touched = [];
    private readonly PriorityQueue<int, double> _queue = new();

    internal HierarchyBuilder(int vertexCount, IEnumerable<(int From, int To, double Seconds)> arcs)
    {
        _n = vertexCount;
        _out = new List<(int, double)>[vertexCount];
        _in = new List<(int, double)>[vertexCount];
        for (var v = 0; v < vertexCount; v++)
        {
            _out[v] = [];
            _in[v] = [];
        }
        foreach (var (from, to, seconds) in arcs)
        {
            if (from == to) continue; // a loop never shortens a path
            AddOrImprove(from, to, seconds);
        }
        _contracted = new bool[vertexCount];
        _deletedNeighbours = new int[vertexCount];
        _dist = new double[vertexCount];
        Array.Fill(_dist, double.PositiveInfinity);
    }

    internal ContractionHierarchy Build()
    {
        var upward = new (int To, double Seconds)[_n][];   // arcs to vertices contracted later, for forward searches
        var downward = new (int From, double Seconds)[_n][]; // arcs from vertices contracted later, for backward searches
        var priority = new int[_n];
        var queue = new PriorityQueue<int, int>(_n);
        for (var v = 0; v < _n; v++)
        {
            priority[v] = Priority(v);
            queue.Enqueue(v, priority[v]);
        }
        var shortcuts = 0;
        var shortcutList = new List<(int From, int To, double Seconds)>();
        while (queue.TryDequeue(out var v, out var queued))
        {
            if (_contracted[v] || queued != priority[v]) continue; // a stale entry
            // Lazy update: the priority may have grown since; if so, put it back behind the next one.
            var now = Priority(v);
            if (now > queued && queue.TryPeek(out _, out var next) && now > next)
            {
                priority[v] = now;
                queue.Enqueue(v, now);
                continue;
            }
            shortcutList.Clear();
            Shortcuts(v, shortcutList);
            upward[v] = [.. _out[v]];
            downward[v] = [.. _in[v]];
            _contracted[v] = true;
            foreach (var (u, _) in _in[v]) _out[u].RemoveAll(a => a.To == v);
            foreach (var (x, _) in _out[v]) _in[x].RemoveAll(a => a.From == v);
            foreach (var (from, to, seconds) in shortcutList)
            {
                if (AddOrImprove(from, to, seconds)) shortcuts++;
            }
            foreach (var u in Neighbours(v))
            {
                _deletedNeighbours[u]++;
                priority[u] = Priority(u);
                queue.Enqueue(u, priority[u]);
            }
            _out[v].Clear();
            _in[v].Clear();
        }
        return ContractionHierarchy.From(upward, downward, shortcuts);
    }

    private HashSet<int> Neighbours(int v)
    {
        var set = new HashSet<int>();
        foreach (var (u, _) in _in[v]) set.Add(u);
        foreach (var (x, _) in _out[v]) set.Add(x);
        return set;
    }

    /// <summary>Edge difference (shortcuts contracting v would add, less the arcs it removes) plus contracted neighbours.</summary>
    private int Priority(int v)
    {
        var added = new List<(int, int, double)>();
        Shortcuts(v, added);
        return added.Count - _in[v].Count - _out[v].Count + _deletedNeighbours[v];
    }

    /// <summary>The shortcuts contracting v needs: u → x through v where no path avoiding v is as short.</summary>
    private void Shortcuts(int v, List<(int From, int To, double Seconds)> shortcuts)
    {
        if (_in[v].Count == 0 || _out[v].Count == 0) return;
        var maxOut = 0.0;
        foreach (var (_, seconds) in _out[v]) maxOut = Math.Max(maxOut, seconds);
        foreach (var (u, toV) in _in[v])
        {
            WitnessSearch(u, v, toV + maxOut);
            foreach (var (x, fromV) in _out[v])
            {
                if (x == u) continue;
                var via = toV + fromV;
                if (_dist[x] > via) shortcuts.Add((u, x, via));
            }
            foreach (var t in _touched) _dist[t] = double.PositiveInfinity;
            _touched.Clear();
        }
    }

    /// <summary>Dijkstra from u among vertices not yet contracted, never through v, up to the bound or the settled limit.</summary>
    private void WitnessSearch(int u, int v, double bound)
    {
        _queue.Clear();
        _dist[u] = 0;
        _touched.Add(u);
        _queue.Enqueue(u, 0);
        var settled = 0;
        while (_queue.TryDequeue(out var w, out var d))
        {
            if (d > _dist[w]) continue;
            if (d > bound || ++settled > SettledLimit) break;
            foreach (var (x, seconds) in _out[w])
            {
                if (x == v) continue;
                var candidate = d + seconds;
                if (candidate < _dist[x])
                {
                    if (double.IsPositiveInfinity(_dist[x])) _touched.Add(x);
                    _dist[x] = candidate;
                    _queue.Enqueue(x, candidate);
                }
            }
        }
    }

    /// <summary>Adds the arc, or lowers an existing one's seconds; true when a new arc was added.</summary>
    private bool AddOrImprove(int from, int to, double seconds)
    {
        var outs = _out[from];
        for (var i = 0; i < outs.Count; i++)
        {
            if (outs[i].To != to) continue;
            if (seconds < outs[i].Seconds)
            {
                outs[i] = (to, seconds);
                var ins = _in[to];
                for (var j = 0; j < ins.Count; j++)
                {
                    if (ins[j].From == from) ins[j] = (from, seconds);
                }
            }
            return false;
        }
        outs.Add((to, seconds));
        _in[to].Add((from, seconds));
        return true;
    }
}
