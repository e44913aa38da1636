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

    private readonly double _cellMetres;
    private readonly double _lonScale;
    private readonly Dictionary<(int, int), List<CourierSnapshot>> _cells = [];

    /// <param name="couriers">The zone's couriers (positions from their snapshots).</param>
    /// <param name="cellMetres">Grid cell size; a few hundred metres suits city densities.</param>
    public NearbyCouriers(IEnumerable<CourierSnapshot> couriers, double cellMetres = 250)
    {
        ArgumentNullException.ThrowIfNull(couriers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellMetres);
        var all = couriers.ToList();
        _cellMetres = cellMetres;
        var meanLat = all.Count == 0 ? 0 : all.Average(c => c.Lat);
        _lonScale = Math.Max(0.01, Math.Cos(meanLat * Math.PI / 180));
        foreach (var c in all)
        {
            var key = Cell(c.Position);
            if (!_cells.TryGetValue(key, out var list)) _cells[key] = list = [];
            list.Add(c);
        }
        Count = all.Count;
    }

    public int Count { get; }

    /// <summary>Up to <paramref name="count"/> couriers within <paramref name="radiusMetres"/>, nearest first (ties: courier id).</summary>
    public IReadOnlyList<Candidate> Nearest(LatLon point, double radiusMetres, int count)
    {
        var (cx, cy) = Cell(point);
        var found = new List<Candidate>();
        var maxRing = (int)Math.Ceiling(radiusMetres / _cellMetres) + 1;
        for (var ring = 0; ring <= maxRing; ring++)
        {
            // Every courier in a cell of ring r is at least (r − 1) cells away: once the count-th nearest is closer than
            // that, no further ring can change the answer.
            if (found.Count >= count)
            {
                found.Sort(Compare);
                if (found[count - 1].DistanceMetres <= (ring - 1) * _cellMetres * 0.99) break;
            }
            for (var x = cx - ring; x <= cx + ring; x++)
            {
                for (var y = cy - ring; y <= cy + ring; y++)
                {
                    if (Math.Max(Math.Abs(x - cx), Math.Abs(y - cy)) != ring || !_cells.TryGetValue((x, y), out var list)) continue;
                    foreach (var c in list)
                    {
                        var d = GeoMath.DistanceMetres(point, c.Position);
                        if (d <= radiusMetres) found.Add(new Candidate(c, d));
                    }
                }
            }
        }
        found.Sort(Compare);
        return found.Count > count ? found.GetRange(0, count) : found;
    }

    private static int Compare(Candidate a, Candidate b)
    {
        var byDistance = a.DistanceMetres.CompareTo(b.DistanceMetres);
        return byDistance != 0 ? byDistance : a.Courier.CourierId.CompareTo(b.Courier.CourierId);
    }

    private (int, int) Cell(LatLon p) =>
        ((int)Math.Floor(p.Lon * MetresPerDegreeLat * _lonScale / _cellMetres), (int)Math.Floor(p.Lat * MetresPerDegreeLat / _cellMetres));
}
