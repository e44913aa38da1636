using NetTopologySuite.Geometries;

namespace Dispatch.Server.Persistence;

/// <summary>A zone added by an admin (table zones); configured zones live in appsettings, not here.</summary>
internal sealed class ZoneRecord
{
    public string Name { get; set; } = "";

    /// <summary>geography(Polygon,4326), X = longitude.</summary>
    public Polygon Boundary { get; set; } = null!;

    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>Who added or last changed it: "admin:{subject}".</summary>
    public string ChangedBy { get; set; } = "";

    /// <summary>IANA time zone of the zone's local days (earnings, settlement); null: Dispatch:EarningsTimeZone.</summary>
    public string? TimeZone { get; set; }
}
