using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dispatch.Server.Health;

/// <summary>
/// /health/live: the process answers (no dependency is asked, so a load balancer never restarts a node for Redis's sake).
/// /health/ready: every check tagged <see cref="HealthTags.Ready"/> passes; 503 naming what is missing otherwise. It also says
/// which zones the node dispatches and their lease ages (never failing readiness for a follower).
/// </summary>
internal static class HealthEndpoints
{
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";

    public static IServiceCollection AddDispatchHealth(this IServiceCollection services)
    {
        services.AddExceptionHandler<DependencyDownHandler>();
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [HealthTags.Ready])
            .AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Ready])
            .AddCheck<ZoneLeadershipHealthCheck>("zones", tags: [HealthTags.Ready]);
        return services;
    }

    public static void MapDispatchHealth(this WebApplication app)
    {
        app.MapHealthChecks(Live, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks(Ready, new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthTags.Ready), ResponseWriter = WriteAsync }).AllowAnonymous();
    }

    /// <summary>{"status":"unhealthy","checks":{"redis":{"status":"unhealthy","description":"…"}}}: which dependency, in words.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object>
        {
            ["status"] = Name(report.Status),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => Entry(e.Value)),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    /// <summary>A check's status and description, plus its data when it has some (the zones check: which zones, lease ages).</summary>
    private static Dictionary<string, object?> Entry(HealthReportEntry entry)
    {
        var written = new Dictionary<string, object?> { ["status"] = Name(entry.Status), ["description"] = entry.Description };
        foreach (var (key, value) in entry.Data) written[key] = value;
        return written;
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
