using System.Globalization;
using System.Threading.RateLimiting;
using Dispatch.Core.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Common;

/// <summary>
/// Rate limits inside hubs (hub methods are not endpoints): tracking subscriptions per client address, and fixes per courier
/// connection. A refusal is a HubException saying when to retry, counted in the metrics and logged at most once per
/// client per interval. The fix bucket is refilled lazily on use (no timer per connection), one lock per SendFixes call.
/// </summary>
internal sealed partial class HubRateLimits(IOptions<RateLimitOptions> options, DispatchMetrics metrics, RefusalLog refusals, ILogger<HubRateLimits> logger)
    : IDisposable
{
    public const string TrackingSubscriptions = "tracking-subscriptions";
    public const string Fixes = "fixes";

    private static readonly object FixLimiterKey = new();
    private readonly PartitionedRateLimiter<string> _subscriptions = PartitionedRateLimiter.Create<string, string>(
        address => RateLimitPartition.GetTokenBucketLimiter(address, _ => RateLimits.Bucket(options.Value.TrackingSubscriptionsPerMinute)));

    /// <summary>Throws when the address has subscribed too often.</summary>
    public void Subscribe(HubCallerContext context)
    {
        var address = context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = _subscriptions.AttemptAcquire(address);
        if (!lease.IsAcquired) throw Refuse(TrackingSubscriptions, address, "Subscribe", "tracking subscriptions from this address", lease);
    }

    /// <summary>Throws when this connection has sent more than its share of fixes; <paramref name="count"/> is the batch's.</summary>
    public void SendFixes(HubCallerContext context, int count)
    {
        if (context.Items.TryGetValue(FixLimiterKey, out var found) is false || found is not TokenBucketRateLimiter limiter)
        {
            var o = options.Value;
            limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.FixBurst,
                TokensPerPeriod = o.FixesPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = false,
            });
            context.Items[FixLimiterKey] = limiter;
        }
        limiter.TryReplenish();
        // Never more than the bucket holds: a batch is at most HubPaths.MaxFixesPerBatch, and FixBurst at least that (validated at start).
        using var lease = limiter.AttemptAcquire(count);
        if (!lease.IsAcquired) throw Refuse(Fixes, context.UserIdentifier ?? context.ConnectionId, "SendFixes", "fixes on this connection", lease);
    }

    private HubException Refuse(string kind, string client, string method, string what, RateLimitLease lease)
    {
        metrics.RateLimited(kind);
        if (refusals.ShouldLog(kind, client, out var suppressed)) LogLimited(logger, kind, client, suppressed);
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, Math.Ceiling(after.TotalSeconds)) : 1;
        return new HubException(string.Create(CultureInfo.InvariantCulture, $"{method}: too many {what}; nothing was taken. {HubPaths.RetryAfter} {seconds} s."));
    }

    public void Dispose() => _subscriptions.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit {Kind} refused {Client} ({Suppressed} more refusals since the last line)")]
    private static partial void LogLimited(ILogger logger, string kind, string client, long suppressed);
}
