using System.Security.Claims;
using Dispatch.Core.Matching;
using Dispatch.Core.Zones;
using Dispatch.Server.Auth;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// GET /api/zones/{zone}/strategy (dispatcher, admin): how the zone hands out orders now, and whether that comes from
/// configuration or an admin. PUT (admin) changes it at once for every node; DELETE (admin) goes back to configuration.
/// </summary>
internal static partial class ZoneStrategyApi
{
    public sealed record StrategyView(string Zone, string Strategy, int Fanout, int BatchWindowSeconds, string Source);

    public sealed record StrategyChange(string? Strategy, int? Fanout, int? BatchWindowSeconds);

    public static IEndpointRouteBuilder MapZoneStrategyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/zones/{zone}/strategy");
        group.MapGet("", (string zone, ZoneMap zones, ZoneStrategies strategies) =>
            zones.ByName(zone) is null ? NotServed(zone) : Results.Ok(View(zone, strategies)))
            .RequireAuthorization(p => p.RequireRole(Roles.Dispatcher, Roles.Admin)).AddEndpointFilter(new Auth.ZoneScopeFilter(Auth.ZoneScopeTarget.Zone));
        group.MapPut("", ChangeAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        group.MapDelete("", async (string zone, ZoneMap zones, ZoneStrategies strategies, HttpContext http, CancellationToken ct) =>
        {
            if (zones.ByName(zone) is null) return NotServed(zone);
            await strategies.ResetAsync(zone, Actor(http.User), Audit.AuditActor.Of(http), ct);
            return Results.Ok(View(zone, strategies));
        }).RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }

    private static async Task<IResult> ChangeAsync(string zone, StrategyChange? change, ZoneMap zones, ZoneStrategies strategies, HttpContext http, ILoggerFactory loggers, CancellationToken ct)
    {
        if (zones.ByName(zone) is null) return NotServed(zone);
        var logger = loggers.CreateLogger(typeof(ZoneStrategyApi).FullName!);
        if (change is null) return Invalid(logger, zone, "body", "Send {\"strategy\": \"sequential|broadcast|batch\", \"fanout\": k, \"batchWindowSeconds\": s}.");
        if (Core.Validation.TextRules.Check("strategy", change.Strategy, 20) is { } badText) return Invalid(logger, zone, "strategy", badText);
        var current = strategies.For(zone);
        var mode = change.Strategy is null ? current.Mode : ZoneStrategies.Parse(change.Strategy);
        if (mode is null) return Invalid(logger, zone, "strategy", $"Unknown strategy '{change.Strategy}'; use sequential, broadcast or batch.");
        var next = new DispatchStrategy(mode.Value, change.Fanout ?? current.Fanout, change.BatchWindowSeconds ?? current.BatchWindowSeconds);
        if (next.Problem() is { } problem) return Invalid(logger, zone, problem.Field, problem.Message);
        await strategies.SetAsync(zone, next, Actor(http.User), Audit.AuditActor.Of(http), ct);
        return Results.Ok(View(zone, strategies));
    }

    private static StrategyView View(string zone, ZoneStrategies strategies)
    {
        var (s, source) = strategies.Current(zone);
        return new StrategyView(zone, s.Mode.ToString().ToLowerInvariant(), s.Fanout, s.BatchWindowSeconds, source);
    }

    private static string Actor(ClaimsPrincipal user) => $"admin:{user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity?.Name ?? "?"}";

    private static IResult NotServed(string zone) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown zone", detail: $"Zone '{zone}' is not served here.");

    private static IResult Invalid(ILogger logger, string zone, string field, string message)
    {
        LogRefused(logger, zone, field, message);
        return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Strategy change for zone {Zone} refused ({Field}): {Message}")]
    private static partial void LogRefused(ILogger logger, string zone, string field, string message);
}
