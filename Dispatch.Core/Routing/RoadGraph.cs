using System.Collections.Concurrent;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;

namespace Dispatch.Core.Routing;

/// <summary>
/// A zone's road network in memory, for the many courier → pickup times dispatch needs per decision: one reverse
/// Dijkstra from the pickup per vehicle kind answers every courier at once (bounded by <see cref="MaxSeconds"/>).
/// Points join the graph at their nearest vertex (grid index) plus the crow-fly walk or ride to it. Edges are priced in
/// seconds by the vehicle's <see cref="RoadProfile"/> (road classes it may use, speed per class, one-way rules), exactly
/// as the pgRouting queries price them, so the two agree. Trees to recent pickups are cached (pickups repeat), so a
/// repeated matrix costs array reads; thread-safe.
/// </summary>
public sealed class RoadGraph : ITravelTimeModel
{
    /// <summary>Search no further than this from the pickup, seconds; couriers beyond fall back to the straight line.</summary>
    public const double MaxSeconds = 2 * 3600;

    private const double CellDegrees = 0.002; // about 220 m of latitude
    private readonly LatLon[] _at;
    private readonly List<(int From, int Edge, bool Forward)>[] _incoming; // reversed edges, for "to the target"
    private readonly (double Metres, bool OneWay, string? Highway)[] _edges;
    private readonly Dictionary<(int, int), List<int>> _grid = [];
    private readonly Dictionary<long, int> _index;
    private readonly Dictionary<Vehicle, RoadProfile> _profiles;
    private readonly ConcurrentDictionary<Vehicle, Priced> _priced = new();
    private readonly ConcurrentDictionary<(int Goal, Vehicle Vehicle), double[]> _trees = new();
    private readonly ConcurrentQueue<(int, Vehicle)> _treeOrder = new();
    private readonly int _treeCapacity;

    /// <summary>Incoming edges of every vertex, usable by one profile, priced in seconds (compressed rows: fast to scan).</summary>
    private sealed record Priced(int[] Start, int[] From, double[] Seconds);

    /// <param name="vertices">Network vertices.</param>
    /// <param name="edges">Edges source → target with their length, whether they are one-way (source → target only) and their road class (OSM highway=*).</param>
    /// <param name="courierFactor">Scales every speed of every profile (see <see cref="RoadProfile"/>).</param>
    public RoadGraph(
        IReadOnlyList<(long Id, double Lat, double Lon)> vertices,
        IReadOnlyList<(long Source, long Target, double Metres, bool OneWay, string? Highway)> edges,
        double courierFactor = 1.0)
    {
        _profiles = Enum.GetValues<Vehicle>().ToDictionary(v => v, v => RoadProfile.For(v, courierFactor));
        var index = _index = new Dictionary<long, int>(vertices.Count);
        _at = new LatLon[vertices.Count];
        _incoming = new List<(int, int, bool)>[vertices.Count];
        for (var i = 0; i < vertices.Count; i++)
        {
            index[vertices[i].Id] = i;
            _at[i] = new LatLon(vertices[i].Lat, vertices[i].Lon);
            _incoming[i] = [];
            var cell = Cell(_at[i]);
            if (!_grid.TryGetValue(cell, out var list)) _grid[cell] = list = [];
            list.Add(i);
        }
        var kept = new List<(double, bool, string?)>(edges.Count);
        foreach (var (source, target, metres, oneWay, highway) in edges)
        {
            if (!index.TryGetValue(source, out var s) || !index.TryGetValue(target, out var t) || !(metres >= 0)) continue;
            var e = kept.Count;
            kept.Add((metres, oneWay, highway));
            _incoming[t].Add((s, e, true));   // source → target
            _incoming[s].Add((t, e, false));  // target → source, unless one-way and the profile follows one-way streets
        }
        _edges = [.. kept];
        VertexCount = vertices.Count;
        // Trees to recent pickups are kept (restaurants repeat): up to about 64 MB of them, at least 8.
        _treeCapacity = (int)Math.Clamp(64_000_000L / (8L * Math.Max(1, VertexCount)), 8, 4096);
    }

    public int VertexCount { get; }

    /// <summary>Road segments (each usable both ways unless one-way).</summary>
    public int EdgeCount => _edges.Length;

    /// <summary>The profile this graph prices a vehicle's edges with (the courier factor applied).</summary>
    public RoadProfile Profile(Vehicle vehicle) => _profiles[vehicle];

    /// <summary>
    /// Seconds from each origin to the target for its vehicle. Both ends join the network at the nearest vertex the
    /// vehicle can leave and reach again (<see cref="NearestVertex(LatLon, Vehicle)"/>): the nearest vertex of any road
    /// was often a footway's or a one-way dead end's, which a scooter cannot reach, and then every scooter fell back to
    /// the straight line. An origin or target with no such vertex near falls back to the straight line.
    /// </summary>
    public double[] SecondsTo(LatLon target, IReadOnlyList<(LatLon From, Vehicle Vehicle)> origins)
    {
        var seconds = new double[origins.Count];
        // Per vehicle kind, looked up once per call: where the target joins its network, how far that is, its vertices, its tree.
        var goals = new int[VehicleKinds];
        var toGoalMetres = new double[VehicleKinds];
        var allowed = new bool[]?[VehicleKinds];
        var trees = new double[]?[VehicleKinds];
        for (var i = 0; i < seconds.Length; i++)
        {
            var (from, vehicle) = origins[i];
            var kind = (int)vehicle;
            if (allowed[kind] is null)
            {
                allowed[kind] = StronglyConnected(vehicle);
                goals[kind] = NearestVertex(target, allowed[kind]);
                if (goals[kind] >= 0) toGoalMetres[kind] = GeoMath.DistanceMetres(_at[goals[kind]], target);
            }
            var goal = goals[kind];
            var start = goal < 0 ? -1 : NearestVertex(from, allowed[kind]);
            var tree = start < 0 ? null : trees[kind] ??= TreeTo(goal, vehicle);
            if (tree is null || !double.IsFinite(tree[start]))
            {
                seconds[i] = StraightLineTravelTime.Instance.SecondsTo(target, [(from, vehicle)])[0];
                continue;
            }
            // The bits off the network (to the nearest vertex, from the last one) at the vehicle's plain speed.
            var offNetwork = FlatMetres(from, _at[start]) + toGoalMetres[kind];
            seconds[i] = tree[start] + offNetwork / _profiles[vehicle].DefaultMetresPerSecond;
        }
        return seconds;
    }

    private static readonly int VehicleKinds = Enum.GetValues<Vehicle>().Max(v => (int)v) + 1;

    /// <summary>Metres between two points a few hundred metres apart (flat-earth; the haversine's answer to well under 0.1 %).</summary>
    private static double FlatMetres(LatLon a, LatLon b)
    {
        var dx = (b.Lon - a.Lon) * Math.Cos(a.Lat * Math.PI / 180);
        var dy = b.Lat - a.Lat;
        return Math.Sqrt(dx * dx + dy * dy) * (Math.PI / 180) * GeoMath.EarthRadiusMetres;
    }

    /// <summary>Fastest seconds from every vertex to <paramref name="goal"/> for a profile (∞ where unreachable or beyond the bound). Computed afresh.</summary>
    public double[] SecondsTo(int goal, RoadProfile profile) =>
        Dijkstra(goal, ReferenceEquals(profile, _profiles[profile.Vehicle]) ? PricedFor(profile.Vehicle) : Price(profile));

    /// <summary>The cached tree of fastest seconds to a vertex for a vehicle (computed on first use; do not modify).</summary>
    private double[] TreeTo(int goal, Vehicle vehicle)
    {
        if (_trees.TryGetValue((goal, vehicle), out var tree)) return tree;
        tree = Dijkstra(goal, PricedFor(vehicle));
        if (_trees.TryAdd((goal, vehicle), tree))
        {
            _treeOrder.Enqueue((goal, vehicle));
            while (_trees.Count > _treeCapacity && _treeOrder.TryDequeue(out var oldest)) _trees.TryRemove(oldest, out _);
        }
        return tree;
    }

    private Priced PricedFor(Vehicle vehicle) => _priced.GetOrAdd(vehicle, v => Price(_profiles[v]));

    private readonly ConcurrentDictionary<Vehicle, bool[]> _strong = new();

    /// <summary>Whether each vertex is in the vehicle's largest strongly connected piece of the network (computed once per vehicle).</summary>
    private bool[] StronglyConnected(Vehicle vehicle) => _strong.GetOrAdd(vehicle, v => LargestStrongComponent(PricedFor(v)));

    /// <summary>
    /// Kosaraju on the vehicle's priced edges, iteratively (a city has hundreds of thousands of vertices): depth-first finish
    /// order along the edges, then components along them reversed, which is what <see cref="Priced"/> holds (incoming edges).
    /// </summary>
    private bool[] LargestStrongComponent(Priced priced)
    {
        var n = VertexCount;
        // Outgoing edges from the incoming ones: u → v for every u listed in v's incoming row.
        var outStart = new int[n + 1];
        foreach (var u in priced.From) outStart[u + 1]++;
        for (var v = 0; v < n; v++) outStart[v + 1] += outStart[v];
        var outTo = new int[priced.From.Length];
        var fill = (int[])outStart.Clone();
        for (var v = 0; v < n; v++)
        {
            for (var k = priced.Start[v]; k < priced.Start[v + 1]; k++) outTo[fill[priced.From[k]]++] = v;
        }

        var order = new List<int>(n);
        var visited = new bool[n];
        var stack = new Stack<(int Vertex, int Next)>();
        for (var root = 0; root < n; root++)
        {
            if (visited[root]) continue;
            visited[root] = true;
            stack.Push((root, outStart[root]));
            while (stack.Count > 0)
            {
                var (v, next) = stack.Pop();
                if (next < outStart[v + 1])
                {
                    stack.Push((v, next + 1));
                    var w = outTo[next];
                    if (!visited[w])
                    {
                        visited[w] = true;
                        stack.Push((w, outStart[w]));
                    }
                }
                else
                {
                    order.Add(v);
                }
            }
        }

        var component = new int[n];
        Array.Fill(component, -1);
        var sizes = new List<int>();
        var pending = new Stack<int>();
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var root = order[i];
            if (component[root] >= 0) continue;
            var id = sizes.Count;
            var size = 0;
            component[root] = id;
            pending.Push(root);
            while (pending.Count > 0)
            {
                var v = pending.Pop();
                size++;
                for (var k = priced.Start[v]; k < priced.Start[v + 1]; k++)
                {
                    var u = priced.From[k];
                    if (component[u] >= 0) continue;
                    component[u] = id;
                    pending.Push(u);
                }
            }
            sizes.Add(size);
        }
        var largest = sizes.Count == 0 ? -1 : sizes.IndexOf(sizes.Max());
        var inLargest = new bool[n];
        for (var v = 0; v < n; v++) inLargest[v] = component[v] == largest;
        return inLargest;
    }

    private Priced Price(RoadProfile profile)
    {
        var start = new int[VertexCount + 1];
        var from = new List<int>(_edges.Length * 2);
        var seconds = new List<double>(_edges.Length * 2);
        for (var v = 0; v < VertexCount; v++)
        {
            start[v] = from.Count;
            foreach (var (source, edge, forward) in _incoming[v])
            {
                var (metres, oneWay, highway) = _edges[edge];
                if (!forward && oneWay && profile.FollowsOneWay) continue;
                if (profile.Seconds(highway, metres) is not { } cost) continue;
                from.Add(source);
                seconds.Add(cost);
            }
        }
        start[VertexCount] = from.Count;
        return new Priced(start, [.. from], [.. seconds]);
    }

    private double[] Dijkstra(int goal, Priced priced)
    {
        var best = new double[VertexCount];
        Array.Fill(best, double.PositiveInfinity);
        best[goal] = 0;
        var queue = new PriorityQueue<int, double>();
        queue.Enqueue(goal, 0);
        var (start, from, seconds) = (priced.Start, priced.From, priced.Seconds);
        while (queue.TryDequeue(out var v, out var d))
        {
            if (d > best[v] || d > MaxSeconds) continue;
            for (var k = start[v]; k < start[v + 1]; k++)
            {
                var candidate = d + seconds[k];
                var u = from[k];
                if (candidate < best[u])
                {
                    best[u] = candidate;
                    queue.Enqueue(u, candidate);
                }
            }
        }
        return best;
    }

    /// <summary>Index of the vertex nearest to p (searching the surrounding grid cells), or -1 if none is near.</summary>
    public int NearestVertex(LatLon p) => NearestVertex(p, null);

    /// <summary>
    /// Index of the vertex nearest to p among those in the vehicle's largest strongly connected piece of the network
    /// (from each of them the vehicle can reach every other: its road classes and one-way rules counted), or -1 if none is near.
    /// </summary>
    public int NearestVertex(LatLon p, Vehicle vehicle) => NearestVertex(p, StronglyConnected(vehicle));

    /// <summary>Whether the vertex (its network id) is in the vehicle's largest strongly connected piece of the network.</summary>
    public bool IsStronglyConnected(long vertexId, Vehicle vehicle) => IndexOf(vertexId) is var i and >= 0 && StronglyConnected(vehicle)[i];

    private int NearestVertex(LatLon p, bool[]? allowed)
    {
        var (cx, cy) = Cell(p);
        var best = -1;
        var bestSquared = double.PositiveInfinity;
        var k = Math.Cos(p.Lat * Math.PI / 180); // flat-earth comparison: exact enough within a cell, and cheap
        for (var ring = 0; ring <= 3 && best < 0; ring++)
        {
            for (var x = cx - ring; x <= cx + ring; x++)
            {
                for (var y = cy - ring; y <= cy + ring; y++)
                {
                    if (!_grid.TryGetValue((x, y), out var list)) continue;
                    foreach (var i in list)
                    {
                        if (allowed is not null && !allowed[i]) continue;
                        var dx = (p.Lon - _at[i].Lon) * k;
                        var dy = p.Lat - _at[i].Lat;
                        var squared = dx * dx + dy * dy;
                        if (squared < bestSquared) (best, bestSquared) = (i, squared);
                    }
                }
            }
        }
        return best;
    }

    public LatLon VertexAt(int index) => _at[index];

    /// <summary>The graph's index of a network vertex id, or -1.</summary>
    public int IndexOf(long vertexId) => _index.TryGetValue(vertexId, out var i) ? i : -1;

    private static (int, int) Cell(LatLon p) => ((int)Math.Floor(p.Lon / CellDegrees), (int)Math.Floor(p.Lat / CellDegrees));
}
