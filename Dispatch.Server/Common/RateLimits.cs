using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Common;

/// <summary>
/// The HTTP rate limits (ASP.NET Core's rate limiter, one token bucket per partition): payment callbacks, sign-ins, tiles,
/// customer codes and tracking-hub connection starts per client address, order creation per merchant. A refusal is a 429
/// problem with Retry-After, counted in the metrics and logged at most once per client per interval
/// (<see cref="RefusalLog"/>). Hub limits are in <see cref="HubRateLimits"/>.
/// </summary>
internal static partial class RateLimits
{
    public const string PaymentCallbacks = "payment-callbacks";
    public const string Orders = "orders";
    public const string SignIns = "sign-ins";
    public const string Tiles = "tiles";
    public const string CustomerCodes = "customer-codes";
    public const string TrackingConnections = "tracking-connections";

    public static IServiceCollection AddDispatchRateLimits(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RateLimitOptions>().Bind(config.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.FixBurst >= o.FixesPerSecond, "RateLimits:FixBurst must be at least RateLimits:FixesPerSecond (the bucket holds at least a second's fixes).")
            .Validate(o => o.FixBurst >= Core.Contracts.HubPaths.MaxFixesPerBatch,
                $"RateLimits:FixBurst must be at least {Core.Contracts.HubPaths.MaxFixesPerBatch} (the largest SendFixes batch), so every batch is charged in full.")
            .ValidateOnStart();
        services.AddSingleton<RefusalLog>();
        services.AddSingleton<HubRateLimits>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            var l = limits.Value;
            o.AddPolicy(PaymentCallbacks, http => PerMinute(Address(http), l.PaymentCallbacksPerMinute));
            o.AddPolicy(Orders, http => PerMinute(http.User.FindFirstValue("sub") ?? Address(http), l.OrdersPerMinute));
            o.AddPolicy(SignIns, http => PerMinute(Address(http), l.SignInsPerMinute));
            o.AddPolicy(Tiles, http => PerMinute(Address(http), l.TilesPerMinute));
            o.AddPolicy(CustomerCodes, http => PerMinute(Address(http), l.CustomerCodesPerMinute));
            // Only what starts a connection: a long-polling client's polls and sends are requests to the same endpoint.
            o.AddPolicy(TrackingConnections, http => StartsConnection(http)
                ? PerMinute(Address(http), l.TrackingConnectionsPerMinute) : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    /// <summary>
    /// A hub's negotiate request or a WebSocket upgrade (which may skip negotiation), read from the request's method and
    /// headers: <c>HttpContext.WebSockets</c> did not report the SignalR client's upgrade at the rate limiter.
    /// </summary>
    private static bool StartsConnection(HttpContext http) =>
        http.Request.Path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true
        || http.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase)
        || HttpMethods.IsConnect(http.Request.Method);

    /// <summary>The caller's address as the server sees it (behind a proxy, configure forwarded headers so this is the client's).</summary>
    public static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>A bucket of a minute's worth, refilled every second (a partitioned limiter refills all its buckets from one timer).</summary>
    public static TokenBucketRateLimiterOptions Bucket(int perMinute) => new()
    {
        TokenLimit = perMinute,
        TokensPerPeriod = Math.Max(1, perMinute / 60),
        ReplenishmentPeriod = TimeSpan.FromSeconds(perMinute >= 60 ? 1 : 60.0 / perMinute),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static RateLimitPartition<string> PerMinute(string key, int perMinute) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(perMinute));

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? "default";
        var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
        http.RequestServices.GetRequiredService<DispatchMetrics>().RateLimited(policy);
        var client = policy == Orders ? http.User.FindFirstValue("sub") ?? Address(http) : Address(http);
        if (http.RequestServices.GetRequiredService<RefusalLog>().ShouldLog(policy, client, out var suppressed))
            LogLimited(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits)), policy, client, suppressed);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = string.Create(CultureInfo.InvariantCulture, $"Too many requests ({policy}) from this client; retry after {seconds} s.");
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit {Policy} refused {Client} ({Suppressed} more refusals since the last line)")]
    private static partial void LogLimited(ILogger logger, string policy, string client, long suppressed);
}
