namespace Dispatch.Core.Geo;

/// <summary>Great-circle maths on the WGS84 sphere approximation. Distances in metres, never planar degrees.</summary>
public static class GeoMath
{
    public const double EarthRadiusMetres = 6_371_008.8;

    /// <summary>Haversine distance in metres.</summary>
    public static double DistanceMetres(LatLon a, LatLon b)
    {
        // Each sine once (the same values as calling it twice: trip planning measures thousands of legs a round).
        var sinLat = Math.Sin(ToRadians(b.Lat - a.Lat) / 2);
        var sinLon = Math.Sin(ToRadians(b.Lon - a.Lon) / 2);
        var h = sinLat * sinLat
              + Math.Cos(ToRadians(a.Lat)) * Math.Cos(ToRadians(b.Lat)) * sinLon * sinLon;
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The point a fraction of the way from a to b (linear in degrees; fine for city distances).</summary>
    public static LatLon Interpolate(LatLon a, LatLon b, double fraction)
    {
        var f = Math.Clamp(fraction, 0, 1);
        return new LatLon(a.Lat + (b.Lat - a.Lat) * f, a.Lon + (b.Lon - a.Lon) * f);
    }

    /// <summary>Moves from a toward b by at most <paramref name="metres"/>; returns b when closer than that.</summary>
    public static LatLon StepToward(LatLon a, LatLon b, double metres)
    {
        var d = DistanceMetres(a, b);
        return d <= metres || d == 0 ? b : Interpolate(a, b, metres / d);
    }

    /// <summary>Rounds a position to a grid of roughly <paramref name="metres"/> so it can be shown without revealing the exact spot.</summary>
    public static LatLon Coarsen(LatLon p, double metres)
    {
        var latStep = metres / 111_320.0;
        var lat = Math.Round(p.Lat / latStep) * latStep;
        // The longitude step comes from the snapped latitude, never the exact one: otherwise the shown longitude
        // (k × step(lat)) would encode the exact latitude, and points in one cell would not snap to one spot.
        var lonStep = metres / (111_320.0 * Math.Max(0.01, Math.Cos(ToRadians(lat))));
        return new LatLon(lat, Math.Round(p.Lon / lonStep) * lonStep);
    }

    private static double ToRadians(double degrees) => degrees * Math.PI / 180.0;
}
