using System.Net;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dispatch.Server.Observability;

/// <summary>
/// OpenTelemetry for the node: ASP.NET Core, the .NET runtime, Npgsql, StackExchange.Redis and the server's own meter, as
/// metrics on /metrics (Prometheus text, loopback or <see cref="ObservabilityOptions.MetricsAllowFrom"/> only) and as
/// traces exported over OTLP when <see cref="ObservabilityOptions.OtlpEndpoint"/> is set.
/// </summary>
internal static partial class ObservabilityComposition
{
    public const string MetricsPath = "/metrics";

    // Npgsql's own ActivitySource and Meter (what Npgsql.OpenTelemetry registers).
    private const string Npgsql = "Npgsql";

    public static IServiceCollection AddDispatchObservability(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ObservabilityOptions>().Bind(config.GetSection(ObservabilityOptions.Section))
            .Validate(o => o.MetricsAllowFrom.All(n => IPNetwork.TryParse(n, out _)), "Observability:MetricsAllowFrom holds a value that is not a CIDR network (e.g. 10.0.0.0/8).")
            .Validate(o => string.IsNullOrEmpty(o.OtlpEndpoint) || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _), "Observability:OtlpEndpoint is not an absolute URL.")
            .ValidateOnStart();
        var otlp = config[$"{ObservabilityOptions.Section}:{nameof(ObservabilityOptions.OtlpEndpoint)}"];
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("dispatch-server", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(m => m
                .AddMeter(DispatchMetrics.MeterName, Npgsql)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        // Traces only when they go somewhere: without an exporter every SQL command and request still made and filled a
        // recorded span (the outbox bench: a few per event, and every POST its webhook receiver got in the same process).
        if (!string.IsNullOrEmpty(otlp))
        {
            builder.WithTracing(t => t.AddSource(DispatchTracing.Source.Name, Npgsql)
                // Not hub requests: a hub connection is one request that lasts hours, and its span's tags would stay in
                // memory for all of it (~0.5 KB per idle connection) to export one useless hours-long span at the end.
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments(MetricsPath)
                    && !ctx.Request.Path.StartsWithSegments("/health") && !ctx.Request.Path.StartsWithSegments("/hubs"))
                .AddRedisInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        }
        return services;
    }

    public static void MapDispatchMetrics(this WebApplication app)
    {
        var allowed = app.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value.MetricsAllowFrom.Select(n => IPNetwork.Parse(n)).ToArray();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ObservabilityComposition).FullName!);
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments(MetricsPath), branch => branch.Use(async (ctx, next) =>
        {
            var from = ctx.Connection.RemoteIpAddress;
            if (from is not null && from.IsIPv4MappedToIPv6) from = from.MapToIPv4();
            if (from is not null && (IPAddress.IsLoopback(from) || allowed.Any(n => n.Contains(from))))
            {
                await next(ctx);
                return;
            }
            LogRefused(logger, from?.ToString() ?? "unknown");
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            await ctx.Response.WriteAsync("Metrics are served to loopback and Observability:MetricsAllowFrom only.", ctx.RequestAborted);
        }));
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused /metrics to {Address}: not loopback nor in Observability:MetricsAllowFrom")]
    private static partial void LogRefused(ILogger logger, string address);
}
