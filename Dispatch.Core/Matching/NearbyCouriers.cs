using System.Runtime.InteropServices;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;

namespace Dispatch.Core.Matching;

/// <summary>
/// The couriers of a zone in a grid of cells, answering "the <c>count</c> nearest within <c>radius</c> of a point" as
/// GEOSEARCH … BYRADIUS … ASC COUNT does, from memory. A batch round with hundreds of waiting orders reads the zone once
/// and asks this instead of sending one GEOSEARCH per order and ring: in a dense zone each GEOSEARCH scans every courier
/// of the area, so the round's cost grew with orders × couriers on the Redis side.
/// </summary>
public sealed class NearbyCouriers
{
    private const double MetresPerDegreeLat = GeoMath.EarthRadiusMetres * Math.PI / 180;

    /// <summary>The grid is made finer while its occupied cells hold more than this many couriers on average.</summary>
    private const int TargetPerCell = 6;

    /// <summary>The finest grid chosen by itself.</summary>
    private const double FinestCellMetres = 25;

    /// <summary>Farther neighbours first (ties: the larger courier id): the heap's top is the farthest of the nearest found so far.</summary>
    private static readonly IComparer<(double Metres, Guid CourierId)> FarthestFirst = Comparer<(double Metres, Guid CourierId)>.Create(static (a, b) =>
    {
        var byDistance = b.Metres.CompareTo(a.Metres);
        return byDistance != 0 ? byDistance : b.CourierId.CompareTo(a.CourierId);
    });

    /// <summary>
    /// The search's heap, one per thread (a batch round searches for a thousand orders on every core): it holds the zone's
    /// own candidates with their distance beside them, and a candidate with its distance is made only for the answer.
    /// </summary>
    [ThreadStatic]
    private static PriorityQueue<Candidate, (double Metres, Guid CourierId)>? t_nearest;

    private readonly double _cellMetres;
    private readonly double _lonScale;
    private readonly Dictionary<(int, int), List<Candidate>> _cells = [];

    /// <param name="couriers">The zone's couriers (positions from their snapshots).</param>
    /// <param name="cellMetres">Grid cell size; when not given, 250 m halved until the occupied cells hold a few couriers each
    /// (a dense zone such as Monaco at rush hour ends near 30 m; a spread-out city keeps 250 m).</param>
    public NearbyCouriers(IEnumerable<CourierSnapshot> couriers, double? cellMetres = null)
        : this(couriers?.Select(c => new Candidate(c, 0)) ?? throw new ArgumentNullException(nameof(couriers)), cellMetres)
    {
    }

    /// <param name="couriers">The zone's couriers as candidates already completed with what they carry and earn: each answer
    /// is one of these with its distance filled in.</param>
    /// <param name="cellMetres">As for the other constructor.</param>
    public NearbyCouriers(IEnumerable<Candidate> couriers, double? cellMetres = null)
    {
        ArgumentNullException.ThrowIfNull(couriers);
        if (cellMetres is { } given) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(given);
        var all = couriers.ToList();
        var meanLat = all.Count == 0 ? 0 : all.Average(c => c.Courier.Lat);
        _lonScale = Math.Max(0.01, Math.Cos(meanLat * Math.PI / 180));
        _cellMetres = cellMetres ?? 250;
        Fill(all);
        while (cellMetres is null && _cells.Count > 0 && all.Count > TargetPerCell * _cells.Count && _cellMetres / 2 >= FinestCellMetres)
        {
            _cellMetres /= 2;
            Fill(all);
        }
        Count = all.Count;
    }

    public int Count { get; }

    /// <summary>The grid's cell size, metres.</summary>
    public double CellMetres => _cellMetres;

    /// <summary>Up to <paramref name="count"/> couriers within <paramref name="radiusMetres"/>, nearest first (ties: courier id).</summary>
    public IReadOnlyList<Candidate> Nearest(LatLon point, double radiusMetres, int count)
    {
        if (Search(point, radiusMetres, count) is not { } nearest) return [];
        var found = new Candidate[nearest.Count];
        Drain(nearest, found);
        return found;
    }

    /// <summary>
    /// <see cref="Nearest(LatLon, double, int)"/>'s answer written into <paramref name="into"/> (cleared first), for a caller
    /// that uses each answer at once and reuses the list: a batch round searches a thousand times and keeps no answer.
    /// </summary>
    public void Nearest(LatLon point, double radiusMetres, int count, List<Candidate> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.Clear();
        if (Search(point, radiusMetres, count) is not { } nearest) return;
        CollectionsMarshal.SetCount(into, nearest.Count);
        Drain(nearest, CollectionsMarshal.AsSpan(into));
    }

    /// <summary>The heap holding the nearest found, farthest on top; null when there is nothing to search.</summary>
    private PriorityQueue<Candidate, (double Metres, Guid CourierId)>? Search(LatLon point, double radiusMetres, int count)
    {
        if (count <= 0 || _cells.Count == 0) return null;
        var (cx, cy) = Cell(point);
        // The count nearest so far, farthest on top: each courier in reach costs one distance and at most a log-count step.
        var nearest = t_nearest ??= new PriorityQueue<Candidate, (double Metres, Guid CourierId)>(FarthestFirst);
        nearest.Clear();
        var maxRing = (int)Math.Ceiling(radiusMetres / _cellMetres) + 1;
        var visited = 0;
        for (var ring = 0; ring <= maxRing; ring++)
        {
            // Every courier in a cell of ring r is at least (r − 1) cells away: once the count-th nearest is closer than
            // that, no further ring can change the answer.
            if (nearest.Count == count && Farthest(nearest) <= (ring - 1) * _cellMetres * 0.99) break;
            var cellsInRing = ring == 0 ? 1 : 8 * ring;
            if (visited + cellsInRing > _cells.Count)
            {
                // Few couriers near: walking the rest of the rings would visit more cells than are occupied, so visit those.
                foreach (var (key, list) in _cells)
                {
                    var distance = Math.Max(Math.Abs(key.Item1 - cx), Math.Abs(key.Item2 - cy));
                    if (distance >= ring && distance <= maxRing) Offer(nearest, list, point, radiusMetres, count);
                }
                break;
            }
            visited += cellsInRing;
            if (ring == 0)
            {
                Visit(nearest, cx, cy, point, radiusMetres, count);
                continue;
            }
            for (var x = cx - ring; x <= cx + ring; x++)
            {
                Visit(nearest, x, cy - ring, point, radiusMetres, count);
                Visit(nearest, x, cy + ring, point, radiusMetres, count);
            }
            for (var y = cy - ring + 1; y <= cy + ring - 1; y++)
            {
                Visit(nearest, cx - ring, y, point, radiusMetres, count);
                Visit(nearest, cx + ring, y, point, radiusMetres, count);
            }
        }
        return nearest;
    }

    /// <summary>Empties the heap into <paramref name="found"/> nearest first, each candidate with its distance.</summary>
    private static void Drain(PriorityQueue<Candidate, (double Metres, Guid CourierId)> nearest, Span<Candidate> found)
    {
        for (var i = found.Length - 1; i >= 0; i--)
        {
            nearest.TryDequeue(out var template, out var key);
            found[i] = template with { DistanceMetres = key.Metres };
        }
    }

    private void Visit(PriorityQueue<Candidate, (double Metres, Guid CourierId)> nearest, int x, int y, LatLon point, double radiusMetres, int count)
    {
        if (_cells.TryGetValue((x, y), out var list)) Offer(nearest, list, point, radiusMetres, count);
    }

    private static void Offer(PriorityQueue<Candidate, (double Metres, Guid CourierId)> nearest, List<Candidate> list, LatLon point, double radiusMetres, int count)
    {
        foreach (var template in list)
        {
            var c = template.Courier;
            var d = GeoMath.DistanceMetres(point, c.Position);
            if (d > radiusMetres) continue;
            if (nearest.Count == count)
            {
                // Full: only a courier nearer than the farthest kept gets in.
                nearest.TryPeek(out _, out var farthest);
                if (d > farthest.Metres || (d == farthest.Metres && c.CourierId.CompareTo(farthest.CourierId) >= 0)) continue;
                nearest.DequeueEnqueue(template, (d, c.CourierId));
                continue;
            }
            nearest.Enqueue(template, (d, c.CourierId));
        }
    }

    private static double Farthest(PriorityQueue<Candidate, (double Metres, Guid CourierId)> nearest)
    {
        nearest.TryPeek(out _, out var farthest);
        return farthest.Metres;
    }

    private void Fill(List<Candidate> all)
    {
        _cells.Clear();
        foreach (var c in all)
        {
            var key = Cell(c.Courier.Position);
            if (!_cells.TryGetValue(key, out var list)) _cells[key] = list = [];
            list.Add(c);
        }
    }

    private (int, int) Cell(LatLon p) =>
        ((int)Math.Floor(p.Lon * MetresPerDegreeLat * _lonScale / _cellMetres), (int)Math.Floor(p.Lat * MetresPerDegreeLat / _cellMetres));
}
