using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;

namespace Dispatch.Core.Routing;

/// <summary>
/// A zone's road network in memory, for the many courier → pickup times dispatch needs per decision: one reverse
/// Dijkstra from the pickup per vehicle kind answers every courier at once (bounded by <see cref="MaxSeconds"/>).
/// Points join the graph at their nearest vertex (grid index) plus the crow-fly walk or ride to it. Edges are priced in
/// seconds by the vehicle's <see cref="RoadProfile"/> (road classes it may use, speed per class, one-way rules), exactly
/// as the pgRouting queries price them, so the two agree.
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
    }

    public int VertexCount { get; }

    /// <summary>The profile this graph prices a vehicle's edges with (the courier factor applied).</summary>
    public RoadProfile Profile(Vehicle vehicle) => _profiles[vehicle];

    public double[] SecondsTo(LatLon target, IReadOnlyList<(LatLon From, Vehicle Vehicle)> origins)
    {
        var seconds = new double[origins.Count];
        var goal = NearestVertex(target);
        if (goal < 0) return StraightLineTravelTime.Instance.SecondsTo(target, origins);
        var toGoalMetres = GeoMath.DistanceMetres(_at[goal], target);
        var byVehicle = new Dictionary<Vehicle, double[]>();
        for (var i = 0; i < seconds.Length; i++)
        {
            var (from, vehicle) = origins[i];
            var start = NearestVertex(from);
            if (!byVehicle.TryGetValue(vehicle, out var tree)) byVehicle[vehicle] = tree = SecondsTo(goal, Profile(vehicle));
            // The bits off the network (to the nearest vertex, from the last one) at the vehicle's plain speed.
            var offNetwork = (start >= 0 ? GeoMath.DistanceMetres(from, _at[start]) : 0) + toGoalMetres;
            seconds[i] = start >= 0 && double.IsFinite(tree[start])
                ? tree[start] + offNetwork / Profile(vehicle).DefaultMetresPerSecond
                : StraightLineTravelTime.Instance.SecondsTo(target, [(from, vehicle)])[0];
        }
        return seconds;
    }

    /// <summary>Fastest seconds from every vertex to <paramref name="goal"/> for a profile (∞ where unreachable or beyond the bound).</summary>
    public double[] SecondsTo(int goal, RoadProfile profile)
    {
        var best = new double[VertexCount];
        Array.Fill(best, double.PositiveInfinity);
        best[goal] = 0;
        var edgeSeconds = new double[_edges.Length];
        for (var e = 0; e < _edges.Length; e++) edgeSeconds[e] = profile.Seconds(_edges[e].Highway, _edges[e].Metres) ?? double.NaN;
        var queue = new PriorityQueue<int, double>();
        queue.Enqueue(goal, 0);
        while (queue.TryDequeue(out var v, out var d))
        {
            if (d > best[v] || d > MaxSeconds) continue;
            foreach (var (from, edge, forward) in _incoming[v])
            {
                var cost = edgeSeconds[edge];
                if (double.IsNaN(cost) || (!forward && profile.FollowsOneWay && _edges[edge].OneWay)) continue;
                var candidate = d + cost;
                if (candidate < best[from])
                {
                    best[from] = candidate;
                    queue.Enqueue(from, candidate);
                }
            }
        }
        return best;
    }

    /// <summary>Index of the vertex nearest to p (searching the surrounding grid cells), or -1 if none is near.</summary>
    public int NearestVertex(LatLon p)
    {
        var (cx, cy) = Cell(p);
        var best = -1;
        var bestMetres = double.PositiveInfinity;
        for (var ring = 0; ring <= 3 && best < 0; ring++)
        {
            for (var x = cx - ring; x <= cx + ring; x++)
            {
                for (var y = cy - ring; y <= cy + ring; y++)
                {
                    if (!_grid.TryGetValue((x, y), out var list)) continue;
                    foreach (var i in list)
                    {
                        var metres = GeoMath.DistanceMetres(p, _at[i]);
                        if (metres < bestMetres) (best, bestMetres) = (i, metres);
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
