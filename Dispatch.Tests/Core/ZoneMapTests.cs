using Dispatch.Core.Geo;
using Dispatch.Core.Zones;

namespace Dispatch.Tests.Core;

public sealed class ZoneMapTests
{
    // X = longitude, Y = latitude. A box around Monaco and one around central Nice.
    private const string MonacoWkt = "POLYGON((7.40 43.72, 7.44 43.72, 7.44 43.76, 7.40 43.76, 7.40 43.72))";
    private const string NiceWkt = "POLYGON((7.20 43.68, 7.30 43.68, 7.30 43.74, 7.20 43.74, 7.20 43.68))";

    private static readonly LatLon Casino = new(43.7396, 7.4276);
    private static readonly LatLon NicePort = new(43.6960, 7.2850);
    private static readonly LatLon Menton = new(43.7764, 7.5048);

    private static ZoneMap TwoZones() => new([ZoneMap.FromWkt("monaco", MonacoWkt), ZoneMap.FromWkt("nice", NiceWkt)]);

    [Fact]
    public void FromWkt_builds_a_named_zone_in_wgs84()
    {
        var zone = ZoneMap.FromWkt("monaco", MonacoWkt);

        Assert.Equal("monaco", zone.Name);
        Assert.Equal(4326, zone.Boundary.SRID);
        Assert.Equal(43.74, zone.Centre.Lat, 9);
        Assert.Equal(7.42, zone.Centre.Lon, 9);
        Assert.Equal(7.40, zone.Envelope.MinX, 9);
        Assert.Equal(43.76, zone.Envelope.MaxY, 9);
    }

    [Theory]
    [InlineData(43.7396, 7.4276, true)]   // Casino
    [InlineData(43.7389, 7.4197, true)]   // Monaco station
    [InlineData(43.72, 7.40, true)]       // a corner: the boundary counts as inside
    [InlineData(43.74, 7.44, true)]       // on an edge
    [InlineData(43.7764, 7.5048, false)]  // Menton
    [InlineData(43.6960, 7.2850, false)]  // Nice port
    [InlineData(7.4276, 43.7396, false)]  // the Casino with lat and lon swapped
    [InlineData(43.7399, 7.4401, false)]  // just east of the box
    public void Contains_tells_inside_from_outside(double lat, double lon, bool inside)
    {
        var zone = ZoneMap.FromWkt("monaco", MonacoWkt);

        Assert.Equal(inside, zone.Contains(new LatLon(lat, lon)));
    }

    [Fact]
    public void Contains_uses_longitude_as_x_on_a_non_square_zone()
    {
        // 0.1° wide in longitude, 0.01° tall in latitude; a swapped reading would miss this point.
        var strip = ZoneMap.FromWkt("strip", "POLYGON((7.30 43.70, 7.40 43.70, 7.40 43.71, 7.30 43.71, 7.30 43.70))");

        Assert.True(strip.Contains(new LatLon(43.705, 7.39)));
        Assert.False(strip.Contains(new LatLon(43.75, 7.35)));
    }

    [Fact]
    public void Find_returns_the_zone_containing_the_point_or_null()
    {
        var map = TwoZones();

        Assert.Equal("monaco", map.Find(Casino)?.Name);
        Assert.Equal("nice", map.Find(NicePort)?.Name);
        Assert.Null(map.Find(Menton));
    }

    [Fact]
    public void ByName_is_exact_and_case_sensitive()
    {
        var map = TwoZones();

        Assert.Equal(2, map.All.Count);
        Assert.Same(map.All[1], map.ByName("nice"));
        Assert.Null(map.ByName("Nice"));
        Assert.Null(map.ByName("cannes"));
    }

    [Fact]
    public void Duplicate_zone_names_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new ZoneMap([ZoneMap.FromWkt("monaco", MonacoWkt), ZoneMap.FromWkt("monaco", NiceWkt)]));

        Assert.Contains("'monaco'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_differing_only_by_case_are_distinct_zones()
    {
        var map = new ZoneMap([ZoneMap.FromWkt("monaco", MonacoWkt), ZoneMap.FromWkt("Monaco", NiceWkt)]);

        Assert.Equal(2, map.All.Count);
    }

    [Fact]
    public void Empty_map_finds_nothing()
    {
        Assert.Null(new ZoneMap([]).Find(Casino));
    }

    [Theory]
    [InlineData("POINT(7.42 43.74)", "Point")]
    [InlineData("LINESTRING(7.40 43.72, 7.44 43.76)", "LineString")]
    [InlineData("MULTIPOLYGON(((7.40 43.72, 7.44 43.72, 7.44 43.76, 7.40 43.72)))", "MultiPolygon")]
    public void Non_polygon_boundary_is_rejected(string wkt, string geometryType)
    {
        var ex = Assert.Throws<ArgumentException>(() => ZoneMap.FromWkt("monaco", wkt));

        Assert.Contains("must be a POLYGON", ex.Message, StringComparison.Ordinal);
        Assert.Contains(geometryType, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Self_intersecting_polygon_is_rejected()
    {
        // A bow tie: the edges cross in the middle.
        var ex = Assert.Throws<ArgumentException>(() =>
            ZoneMap.FromWkt("bowtie", "POLYGON((7.40 43.72, 7.44 43.76, 7.44 43.72, 7.40 43.76, 7.40 43.72))"));

        Assert.Contains("not a valid polygon", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Zone_needs_a_name(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => ZoneMap.FromWkt(name, MonacoWkt));
    }
}
