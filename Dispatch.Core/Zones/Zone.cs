using Dispatch.Core.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Dispatch.Core.Zones;

/// <summary>A city or district that partitions couriers and orders. Boundary X = longitude, Y = latitude.</summary>
public sealed class Zone
{
    private readonly IPreparedGeometry _prepared;
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <param name="timeZone">IANA id of the zone's local days (earnings, settlement); null: the server's earnings time zone.</param>
    public Zone(string name, Polygon boundary, string? timeZone = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(boundary);
        if (!boundary.IsValid) throw new ArgumentException($"Zone '{name}' boundary is not a valid polygon.", nameof(boundary));
        Name = name;
        TimeZone = timeZone;
        Boundary = boundary;
        _prepared = PreparedGeometryFactory.Prepare(boundary);
        var c = boundary.Centroid;
        Centre = new LatLon(c.Y, c.X);
    }

    public string Name { get; }

    public Polygon Boundary { get; }

    /// <summary>IANA id; null: the server's earnings time zone.</summary>
    public string? TimeZone { get; }

    public LatLon Centre { get; }

    public Envelope Envelope => Boundary.EnvelopeInternal;

    public bool Contains(LatLon p) => _prepared.Covers(Factory.CreatePoint(new Coordinate(p.Lon, p.Lat)));
}
