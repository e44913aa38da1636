using Dispatch.Core.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Dispatch.Core.Zones;

/// <summary>
/// The set of zones the server serves; finds the zone of a point. The set can be replaced as a whole (zones added or
/// removed by an admin): readers always see one complete set, never a half-updated one.
/// </summary>
public sealed class ZoneMap
{
    private volatile Zone[] _zones;

    public ZoneMap(IEnumerable<Zone> zones)
    {
        _zones = Checked(zones);
    }

    /// <summary>Swaps in a new set of zones at once.</summary>
    public void Replace(IEnumerable<Zone> zones) => _zones = Checked(zones);

    private static Zone[] Checked(IEnumerable<Zone> zones)
    {
        var all = zones.ToArray();
        var duplicate = all.GroupBy(z => z.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Zone name '{duplicate.Key}' is used twice.", nameof(zones));
        return all;
    }

    public IReadOnlyList<Zone> All => _zones;

    public Zone? Find(LatLon p)
    {
        foreach (var zone in _zones)
        {
            if (zone.Contains(p)) return zone;
        }
        return null;
    }

    public Zone? ByName(string name) => Array.Find(_zones, z => string.Equals(z.Name, name, StringComparison.Ordinal));

    /// <summary>Builds a zone from WKT such as "POLYGON((lon lat, ...))".</summary>
    public static Zone FromWkt(string name, string wkt, string? timeZone = null)
    {
        var geometry = new WKTReader().Read(wkt);
        if (geometry is not Polygon polygon) throw new ArgumentException($"Zone '{name}' boundary must be a POLYGON, got {geometry.GeometryType}.", nameof(wkt));
        polygon.SRID = 4326;
        return new Zone(name, polygon, timeZone);
    }
}
