using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Dispatch.Core.Zones;

/// <summary>
/// What makes a zone acceptable when an admin adds or changes one: a name usable in key and schema names, a valid
/// polygon in degrees, of city size, not overlapping another zone (a point must belong to one zone only).
/// </summary>
public static partial class ZoneRules
{
    /// <summary>The largest zone accepted, km² (a big metropolitan area; split larger regions into zones).</summary>
    public const double MaxAreaKm2 = 5_000;

    /// <summary>The most corners a boundary may have.</summary>
    public const int MaxCorners = 2_000;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,30}$")]
    private static partial Regex NamePattern();

    public static string? CheckName(string? name) =>
        name is not null && NamePattern().IsMatch(name)
            ? null
            : $"Zone name '{name}' must be 1–31 characters: a lower-case letter first, then lower-case letters, digits or '_' (it names Redis keys and the road schema roads_<zone>).";

    /// <summary>Reads and checks a WKT boundary; the polygon, or (null, why not).</summary>
    public static (Polygon? Boundary, string? Problem) ParseBoundary(string? wkt)
    {
        if (string.IsNullOrWhiteSpace(wkt)) return (null, "boundary is required: a WKT POLYGON((lon lat, lon lat, ...)) in degrees, first point repeated last.");
        if (wkt.Length > 200_000) return (null, "boundary is too long (at most 200,000 characters).");
        if (Validation.TextRules.Check("boundary", wkt, 200_000, multiLine: true) is { } text) return (null, text);
        Geometry geometry;
        try
        {
            geometry = new WKTReader().Read(wkt);
        }
        catch (ParseException ex)
        {
            return (null, $"boundary is not WKT: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            return (null, $"boundary is not WKT: {ex.Message}");
        }
        if (geometry is not Polygon polygon) return (null, $"boundary must be a POLYGON, got {geometry.GeometryType}.");
        if (polygon.NumPoints > MaxCorners) return (null, $"boundary has {polygon.NumPoints} corners; at most {MaxCorners}.");
        foreach (var c in polygon.Coordinates)
        {
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y) || c.X is < -180 or > 180 || c.Y is < -90 or > 90)
                return (null, $"boundary corner ({c.X} {c.Y}) is not a longitude -180..180 and latitude -90..90 (WKT is 'lon lat').");
        }
        if (!polygon.IsValid) return (null, "boundary is not a valid polygon (it crosses itself or is not closed).");
        var km2 = AreaKm2(polygon);
        if (km2 < 0.01) return (null, $"boundary encloses {km2 * 1e6:0} m²; a zone must be at least 0.01 km².");
        if (km2 > MaxAreaKm2) return (null, $"boundary encloses {km2:0} km²; at most {MaxAreaKm2:0} km² per zone.");
        polygon.SRID = 4326;
        return (polygon, null);
    }

    /// <summary>The name of a zone the boundary overlaps (sharing more than an edge), or null.</summary>
    public static string? Overlap(string name, Polygon boundary, IEnumerable<Zone> others)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        ArgumentNullException.ThrowIfNull(others);
        foreach (var zone in others)
        {
            if (string.Equals(zone.Name, name, StringComparison.Ordinal)) continue;
            if (zone.Boundary.Intersects(boundary) && zone.Boundary.Intersection(boundary).Area > 0) return zone.Name;
        }
        return null;
    }

    /// <summary>Area on the sphere, approximated by scaling degrees at the polygon's mean latitude (fine at city size).</summary>
    public static double AreaKm2(Polygon polygon)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        var lat = polygon.Centroid.Y * Math.PI / 180;
        var kmPerDegree = Geo.GeoMath.EarthRadiusMetres * Math.PI / 180 / 1000;
        return polygon.Area * kmPerDegree * kmPerDegree * Math.Cos(lat);
    }
}
