using NetTopologySuite.Geometries;

namespace Dispatch.Server.Persistence;

/// <summary>
/// A planned route for an order (table routes): courier → pickup → drop-off on the road network,
/// geography(LineString,4326), one row per version; legs as JSON (to, metres, seconds, ETA).
/// </summary>
internal sealed class RouteRecord
{
    public long Id { get; set; }

    public Guid OrderId { get; set; }

    public int Version { get; set; }

    public Guid CourierId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Why this version exists: "accepted", "deviation", "reassigned".</summary>
    public string Reason { get; set; } = "";

    public LineString Path { get; set; } = null!;

    public double DistanceMetres { get; set; }

    public double DurationSeconds { get; set; }

    /// <summary>JSON array of <see cref="Dispatch.Core.Contracts.RouteLeg"/>.</summary>
    public string Legs { get; set; } = "[]";
}
