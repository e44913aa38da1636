using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;

namespace Dispatch.Core.Routing;

/// <summary>
/// A zone's road network in memory, for the many courier → pickup times dispatch needs per decision: one reverse
/// Dijkstra from the pickup answers every courier at once (bounded by <see cref="MaxMetres"/>). Points join the graph
/// at their nearest vertex (grid index) plus the crow-fly metres to it. Costs are edge lengths in metres, like the
/// pgRouting queries, so the two agree; one-way streets are honoured except on foot.
/// </summary>
public sealed class RoadGraph : ITravelTimeModel
{
    /// <summary>Search no further than this from the pickup, metres; couriers beyond fall back to the straight line.</summary>
    public const double MaxMetres = 20_000;

    private const double CellDegrees = 0.002; // about 220 m of latitude
    private readonly LatLon[] _at;
    private readonly List<(int To, double Metres, bool Both)>[] _incoming; // reversed edges, for "to the target"
    private readonly Dictionary<(int, int), List<int>> _grid = [];
    private readonly Dictionary<long, int> _index;

    public RoadGraph(IReadOnlyList<(long Id, double Lat, double Lon)> vertices, IReadOnlyList<(long Source, long Target, double Metres, bool OneWay)> edges)
    {
        var index = _index = new Dictionary<long, int>(vertices.Count);
        _at = new LatLon[vertices.Count];
        _incoming = new List<(int, double, bool)>[vertices.Count];
        for (var i = 0; i < vertices.Count; i++)
        {
            index[vertices[i].Id] = i;
            _at[i] = new LatLon(vertices[i].Lat, vertices[i].Lon);
            _incoming[i] = [];
            var cell = Cell(_at[i]);
            if (!_grid.TryGetValue(cell, out var list)) _grid[cell] = list = [];
            list.Add(i);
        }
        foreach (var (source, target, metres, oneWay) in edges)
        {
            if (!index.TryGetValue(source, out var s) || !index.TryGetValue(target, out var t) || metres < 0) continue;
            _incoming[t].Add((s, metres, true));                 // source → target is always allowed
            _incoming[s].Add((t, metres, !oneWay));               // target → source only when two-way (or walking)
        }
        VertexCount = vertices.Count;
    }

    public int VertexCount { get; }

    public double[] SecondsTo(LatLon target, IReadOnlyList<(LatLon From, Vehicle Vehicle)> origins)
    {
        var seconds = new double[origins.Count];
        var goal = NearestVertex(target);
        if (goal < 0) return StraightLineTravelTime.Instance.SecondsTo(target, origins);
        var toGoal = GeoMath.DistanceMetres(_at[goal], target);
        var driving = MetresTo(goal, walking: false);
        double[]? walking = null;
        for (var i = 0; i < seconds.Length; i++)
        {
            var (from, vehicle) = origins[i];
            var start = NearestVertex(from);
            var metres = vehicle == Vehicle.Walking ? (walking ??= MetresTo(goal, walking: true)) : driving;
            seconds[i] = start >= 0 && double.IsFinite(metres[start])
                ? (GeoMath.DistanceMetres(from, _at[start]) + metres[start] + toGoal) / VehicleSpeeds.TypicalMetresPerSecond(vehicle)
                : StraightLineTravelTime.Instance.SecondsTo(target, [(from, vehicle)])[0];
        }
        return seconds;
    }

    /// <summary>Shortest road metres from every vertex to <paramref name="goal"/> (∞ where unreachable or beyond the bound).</summary>
    public double[] MetresTo(int goal, bool walking)
    {
        var best = new double[VertexCount];
        Array.Fill(best, double.PositiveInfinity);
        best[goal] = 0;
        var queue = new PriorityQueue<int, double>();
        queue.Enqueue(goal, 0);
        while (queue.TryDequeue(out var v, out var d))
        {
            if (d > best[v] || d > MaxMetres) continue;
            foreach (var (from, metres, allowed) in _incoming[v])
            {
                if (!allowed && !walking) continue;
                var candidate = d + metres;
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
