using System.Security.Claims;
using Dispatch.Core.Zones;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Zones;

/// <summary>
/// GET /api/zones: the zones served, for maps and the simulator. PUT /api/zones/{name} (admin) adds a zone or moves its
/// boundary; DELETE (admin) stops serving it. Configured zones are changed in configuration, not here.
/// </summary>
internal static partial class ZonesApi
{
    /// <summary>
    /// Body of PUT /api/zones/{name}: the boundary as WKT, POLYGON((lon lat, ...)), as in configuration, and the IANA time
    /// zone of its local days (left out: Dispatch:EarningsTimeZone).
    /// </summary>
    public sealed record ZoneChange(string? Boundary, string? TimeZone = null);

    public sealed record LatLonDto(double Lat, double Lon);

    public sealed record BoundsDto(double MinLat, double MinLon, double MaxLat, double MaxLon);

    /// <summary><paramref name="TimeZone"/>: the IANA time zone the zone's days are cut in (its own, else Dispatch:EarningsTimeZone).</summary>
    public sealed record ZoneDto(string Name, LatLonDto Centre, BoundsDto Bounds, double[][] Boundary, string TimeZone);

    public static IEndpointRouteBuilder MapZonesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/zones", (ZoneMap zones, IOptions<DispatchOptions> options) => zones.All.Select(z => ToDto(z, options.Value))).AllowAnonymous();
        app.MapPut("/api/zones/{name}", async (string name, ZoneChange? change, ZoneCatalog catalog, HttpContext http, IOptions<DispatchOptions> options,
            ILoggerFactory loggers, CancellationToken ct) =>
        {
            var outcome = await catalog.PutAsync(name, change?.Boundary, change?.TimeZone, Actor(http.User), Audit.AuditActor.Of(http), ct);
            if (outcome.Ok) return Results.Ok(ToDto(outcome.Value!, options.Value));
            LogRefused(loggers.CreateLogger(typeof(ZonesApi).FullName!), name, outcome.Failure!.Detail);
            return outcome.Failure.ToProblem();
        }).RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithBodyLimit(BodyLimits.ZoneBoundary);
        app.MapDelete("/api/zones/{name}", async (string name, ZoneCatalog catalog, HttpContext http, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var outcome = await catalog.DeleteAsync(name, Actor(http.User), Audit.AuditActor.Of(http), ct);
            if (outcome.Ok) return Results.NoContent();
            LogRefused(loggers.CreateLogger(typeof(ZonesApi).FullName!), name, outcome.Failure!.Detail);
            return outcome.Failure.ToProblem();
        }).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }

    private static ZoneDto ToDto(Zone z, DispatchOptions options) => new(
        z.Name,
        new LatLonDto(z.Centre.Lat, z.Centre.Lon),
        new BoundsDto(z.Envelope.MinY, z.Envelope.MinX, z.Envelope.MaxY, z.Envelope.MaxX),
        [.. z.Boundary.ExteriorRing.Coordinates.Select(c => new[] { c.Y, c.X })],
        z.TimeZone ?? options.EarningsTimeZone);

    private static string Actor(ClaimsPrincipal user) => $"admin:{user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "?"}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone change for {Zone} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string zone, string reason);
}
