using Dispatch.Core.Geo;
using Dispatch.Courier.Api;

namespace Dispatch.Courier.Simulation;

/// <summary>
/// Where simulated couriers and orders may be: the zone's bounding box shrunk by an inset, so random points stay
/// off the edges of a zone polygon that does not fill its box.
/// </summary>
internal sealed class ZoneArea
{
    public ZoneArea(ZoneBounds bounds, double insetFraction = 0.05)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        if (!(bounds.MinLat < bounds.MaxLat && bounds.MinLon < bounds.MaxLon))
            throw new ArgumentException($"Zone bounds are empty: lat {bounds.MinLat}..{bounds.MaxLat}, lon {bounds.MinLon}..{bounds.MaxLon}.", nameof(bounds));
        ArgumentOutOfRangeException.ThrowIfNegative(insetFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(insetFraction, 0.5);
        var dLat = (bounds.MaxLat - bounds.MinLat) * insetFraction;
        var dLon = (bounds.MaxLon - bounds.MinLon) * insetFraction;
        MinLat = bounds.MinLat + dLat;
        MaxLat = bounds.MaxLat - dLat;
        MinLon = bounds.MinLon + dLon;
        MaxLon = bounds.MaxLon - dLon;
    }

    public double MinLat { get; }

    public double MaxLat { get; }

    public double MinLon { get; }

    public double MaxLon { get; }

    public LatLon Centre => new((MinLat + MaxLat) / 2, (MinLon + MaxLon) / 2);

    public bool Contains(LatLon p) => p.Lat >= MinLat && p.Lat <= MaxLat && p.Lon >= MinLon && p.Lon <= MaxLon;

    public LatLon Clamp(LatLon p) => new(Math.Clamp(p.Lat, MinLat, MaxLat), Math.Clamp(p.Lon, MinLon, MaxLon));

    public LatLon RandomPoint(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new(MinLat + (MaxLat - MinLat) * random.NextDouble(), MinLon + (MaxLon - MinLon) * random.NextDouble());
    }

    /// <summary>
    /// A point inside the area between <paramref name="minMetres"/> and <paramref name="maxMetres"/> from
    /// <paramref name="from"/>. When the area is too small for that, the farthest candidate tried, clamped inside.
    /// </summary>
    public LatLon RandomPointNear(LatLon from, double minMetres, double maxMetres, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var best = Clamp(from);
        var bestDistance = -1.0;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var metres = minMetres + (maxMetres - minMetres) * random.NextDouble();
            var candidate = Offset(from, random.NextDouble() * 360, metres);
            if (Contains(candidate)) return candidate;
            var clamped = Clamp(candidate);
            var distance = GeoMath.DistanceMetres(from, clamped);
            if (distance <= maxMetres && distance > bestDistance)
            {
                best = clamped;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>A pickup and a drop-off inside the area, <paramref name="minMetres"/>..<paramref name="maxMetres"/> apart.</summary>
    public (LatLon Pickup, LatLon Dropoff) RandomTrip(double minMetres, double maxMetres, Random random)
    {
        var pickup = RandomPoint(random);
        return (pickup, RandomPointNear(pickup, minMetres, maxMetres, random));
    }

    /// <summary>
    /// The point <paramref name="metres"/> away on <paramref name="bearingDegrees"/> (clockwise from north).
    /// Local flat-earth step: only used to propose points, whose true distance is measured with haversine.
    /// </summary>
    internal static LatLon Offset(LatLon from, double bearingDegrees, double metres)
    {
        const double MetresPerDegreeLat = 111_320.0;
        var bearing = bearingDegrees * Math.PI / 180;
        var dLat = metres * Math.Cos(bearing) / MetresPerDegreeLat;
        var dLon = metres * Math.Sin(bearing) / (MetresPerDegreeLat * Math.Max(0.01, Math.Cos(from.Lat * Math.PI / 180)));
        return new(from.Lat + dLat, from.Lon + dLon);
    }
}
