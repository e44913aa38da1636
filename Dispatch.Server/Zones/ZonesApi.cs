using Dispatch.Core.Zones;

namespace Dispatch.Server.Zones;

/// <summary>GET /api/zones: the zones served, for maps and the simulator.</summary>
public static class ZonesApi
{
    public sealed record LatLonDto(double Lat, double Lon);

    public sealed record BoundsDto(double MinLat, double MinLon, double MaxLat, double MaxLon);

    public sealed record ZoneDto(string Name, LatLonDto Centre, BoundsDto Bounds, double[][] Boundary);

    public static IEndpointRouteBuilder MapZonesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/zones", (ZoneMap zones) => zones.All.Select(z => new ZoneDto(
            z.Name,
            new LatLonDto(z.Centre.Lat, z.Centre.Lon),
            new BoundsDto(z.Envelope.MinY, z.Envelope.MinX, z.Envelope.MaxY, z.Envelope.MaxX),
            [.. z.Boundary.ExteriorRing.Coordinates.Select(c => new[] { c.Y, c.X })]))).AllowAnonymous();
        return app;
    }
}
