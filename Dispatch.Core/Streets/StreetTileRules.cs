namespace Dispatch.Core.Streets;

/// <summary>
/// What a street tile holds at each zoom: which road classes (so a city view is not a tangle of footpaths), how much the
/// lines are simplified, and whether a tile is worth a query at all (inside a served zone's box, zoom in range).
/// </summary>
public static class StreetTileRules
{
    /// <summary>Below this zoom a tile is empty: a whole city's streets at a few pixels each help no one.</summary>
    public const int MinZoom = 12;

    /// <summary>Highest zoom served; Leaflet scales the last tiles beyond it.</summary>
    public const int MaxZoom = 20;

    /// <summary>Tile extent in MVT units (the MVT default); a pixel is extent / 256 units.</summary>
    public const int Extent = 4096;

    /// <summary>Geometry kept past the tile edge, MVT units, so lines and their joins do not stop short at the seam.</summary>
    public const int Buffer = 64;

    private static readonly HashSet<string> Major = new(StringComparer.Ordinal)
    {
        "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
    };

    private static readonly HashSet<string> Paths = new(StringComparer.Ordinal)
    {
        "footway", "steps", "path", "pedestrian", "cycleway", "track", "bridleway", "corridor", "elevator", "platform",
    };

    /// <summary>The drawing class of an OSM highway value; an unknown or missing one is a minor road.</summary>
    public static StreetClass Classify(string? highway) =>
        highway is null ? StreetClass.Minor : Major.Contains(highway) ? StreetClass.Major : Paths.Contains(highway) ? StreetClass.Path : StreetClass.Minor;

    /// <summary>The classes drawn at a zoom: major roads from <see cref="MinZoom"/>, minor from 14, paths from 16.</summary>
    public static IReadOnlyList<StreetClass> ClassesAt(int zoom) => zoom switch
    {
        < MinZoom => [],
        < 14 => [StreetClass.Major],
        < 16 => [StreetClass.Major, StreetClass.Minor],
        _ => [StreetClass.Major, StreetClass.Minor, StreetClass.Path],
    };

    /// <summary>The highway values classed as major and as paths, for a query that classes rows itself.</summary>
    public static IReadOnlyCollection<string> HighwaysOf(StreetClass kind) => kind switch
    {
        StreetClass.Major => Major,
        StreetClass.Path => Paths,
        _ => [],
    };

    /// <summary>Simplification tolerance in web-mercator metres: half a pixel at this zoom (invisible, yet drops most vertices).</summary>
    public static double ToleranceMetres(int zoom) => 2 * Math.PI * 6_378_137 / (256 << Math.Clamp(zoom, 0, 30)) / 2;

    /// <summary>Why a tile address is refused (null when valid): the parameter named and the allowed range.</summary>
    public static (string Field, string Reason)? Refusal(int z, int x, int y)
    {
        if (z is < 0 or > MaxZoom) return ("z", $"Zoom {z} is outside 0..{MaxZoom}.");
        var last = (1 << z) - 1;
        if (x < 0 || x > last) return ("x", $"Tile x {x} is outside 0..{last} at zoom {z}.");
        if (y < 0 || y > last) return ("y", $"Tile y {y} is outside 0..{last} at zoom {z}.");
        return null;
    }

    /// <summary>Whether a tile may hold streets of a zone with this box (degrees): zoom in range and the boxes overlap.</summary>
    public static bool Covers(StreetTile tile, double minLon, double minLat, double maxLon, double maxLat)
    {
        if (tile.Z < MinZoom) return false;
        var (west, south, east, north) = tile.Bounds();
        return west <= maxLon && east >= minLon && south <= maxLat && north >= minLat;
    }
}
