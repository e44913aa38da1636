using Dispatch.Core.Geo;

namespace Dispatch.Core.Routing;

/// <summary>
/// A planned route as a polyline with cumulative distances, so a courier's position can be placed on it:
/// how far along (metres), how far off (metres), and how much is left. Pure; positions in, numbers out.
/// </summary>
public sealed class RouteTrack
{
    private readonly LatLon[] _path;
    private readonly double[] _cumulative; // metres from the start to each point

    public RouteTrack(int version, IReadOnlyList<LatLon> path, double metresPerSecond)
    {
        if (path.Count < 2) throw new ArgumentException("A route needs at least two points.", nameof(path));
        if (!(metresPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(metresPerSecond), "Speed must be positive.");
        Version = version;
        MetresPerSecond = metresPerSecond;
        _path = [.. path];
        _cumulative = new double[_path.Length];
        for (var i = 1; i < _path.Length; i++) _cumulative[i] = _cumulative[i - 1] + GeoMath.DistanceMetres(_path[i - 1], _path[i]);
    }

    public int Version { get; }

    public double MetresPerSecond { get; }

    public double LengthMetres => _cumulative[^1];

    /// <summary>Where <paramref name="p"/> lies relative to the route: metres along it at the nearest point, and metres away from it.</summary>
    public (double AlongMetres, double OffRouteMetres) Locate(LatLon p)
    {
        var bestOff = double.PositiveInfinity;
        var bestAlong = 0.0;
        for (var i = 1; i < _path.Length; i++)
        {
            var (t, off) = ProjectOnSegment(_path[i - 1], _path[i], p);
            if (off < bestOff)
            {
                bestOff = off;
                bestAlong = _cumulative[i - 1] + t * (_cumulative[i] - _cumulative[i - 1]);
            }
        }
        return (bestAlong, bestOff);
    }

    /// <summary>Segments this much further from p than the nearest one still count as "as near" (GPS noise, two lanes).</summary>
    private const double NearTieMetres = 25;

    /// <summary>Going back this far along the route is GPS noise, not the courier turning round.</summary>
    private const double BackwardSlackMetres = 30;

    /// <summary>
    /// Like <see cref="Locate(LatLon)"/>, but knowing the courier was <paramref name="previousAlongMetres"/> along: where
    /// the route passes near itself (a hairpin, out and back along one street), of the segments about as near as the
    /// nearest, the one closest ahead of the previous progress wins, so the ETA does not jump back and forth.
    /// </summary>
    public (double AlongMetres, double OffRouteMetres) Locate(LatLon p, double previousAlongMetres)
    {
        var offs = new double[_path.Length];
        var alongs = new double[_path.Length];
        var bestOff = double.PositiveInfinity;
        for (var i = 1; i < _path.Length; i++)
        {
            var (t, off) = ProjectOnSegment(_path[i - 1], _path[i], p);
            offs[i] = off;
            alongs[i] = _cumulative[i - 1] + t * (_cumulative[i] - _cumulative[i - 1]);
            bestOff = Math.Min(bestOff, off);
        }
        var chosen = (Along: 0.0, Off: double.PositiveInfinity, Jump: double.PositiveInfinity);
        for (var i = 1; i < _path.Length; i++)
        {
            if (offs[i] > bestOff + NearTieMetres) continue;
            var delta = alongs[i] - previousAlongMetres;
            var jump = delta >= -BackwardSlackMetres ? Math.Max(0, delta) : 3 * -delta; // going backwards costs more
            if (jump < chosen.Jump) chosen = (alongs[i], offs[i], jump);
        }
        return (chosen.Along, chosen.Off);
    }

    /// <summary>Seconds left to the end of the route from <paramref name="p"/>, following the route.</summary>
    public int RemainingSeconds(LatLon p) => SecondsLeft(Locate(p));

    /// <summary>
    /// Whether a courier <paramref name="offRouteMetres"/> from the route has left it, beyond <paramref name="limitMetres"/>.
    /// The route runs on streets, but a pickup or a door can lie off them (a courtyard, a pedestrian quay): a courier
    /// within the limit of how far such a stop lies from the route, near that stop, is walking the last metres, not lost.
    /// </summary>
    public bool Strayed(LatLon p, double offRouteMetres, IEnumerable<LatLon> stops, double limitMetres)
    {
        ArgumentNullException.ThrowIfNull(stops);
        if (offRouteMetres <= limitMetres) return false;
        foreach (var stop in stops)
        {
            if (GeoMath.DistanceMetres(p, stop) <= Locate(stop).OffRouteMetres + limitMetres) return false;
        }
        return true;
    }

    /// <summary>Seconds left from a located position (see <see cref="Locate(LatLon, double)"/>).</summary>
    public int SecondsLeft((double AlongMetres, double OffRouteMetres) at) =>
        (int)Math.Ceiling((LengthMetres - at.AlongMetres + at.OffRouteMetres) / MetresPerSecond);

    /// <summary>Fraction t ∈ [0,1] of the segment a→b nearest to p, and the distance in metres (local flat projection, fine within a city).</summary>
    private static (double T, double OffMetres) ProjectOnSegment(LatLon a, LatLon b, LatLon p)
    {
        var k = Math.Cos(a.Lat * Math.PI / 180);
        double ax = a.Lon * k, ay = a.Lat, bx = b.Lon * k, by = b.Lat, px = p.Lon * k, py = p.Lat;
        var dx = bx - ax;
        var dy = by - ay;
        var lengthSquared = dx * dx + dy * dy;
        var t = lengthSquared == 0 ? 0 : Math.Clamp(((px - ax) * dx + (py - ay) * dy) / lengthSquared, 0, 1);
        var nearest = new LatLon(a.Lat + t * (b.Lat - a.Lat), a.Lon + t * (b.Lon - a.Lon));
        return (t, GeoMath.DistanceMetres(nearest, p));
    }
}
