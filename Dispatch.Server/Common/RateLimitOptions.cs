using System.ComponentModel.DataAnnotations;

namespace Dispatch.Server.Common;

/// <summary>
/// Rate limits, bound from "RateLimits". Defaults are far above what the demo (60 couriers at a fix a second, 6–20 orders a
/// minute) and the fix benchmark (10,000 couriers, ~7 fixes/s each) send, so only a flooding client meets them.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Tracking-link subscriptions per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int TrackingSubscriptionsPerMinute { get; set; } = 600;

    /// <summary>
    /// Connection starts on the tracking hub (its negotiate requests and WebSocket upgrades; a page's connection is one or
    /// two) per client address per minute: the hub is anonymous until a link subscribes, and each open connection holds
    /// ~45 kB of server memory.
    /// </summary>
    [Range(1, 1_000_000)]
    public int TrackingConnectionsPerMinute { get; set; } = 1_200;

    /// <summary>Street tiles per client address per minute (a map view is 10–40 tiles; panning and zooming fetch more).</summary>
    [Range(1, 1_000_000)]
    public int TilesPerMinute { get; set; } = 3_000;

    /// <summary>Payment callbacks per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int PaymentCallbacksPerMinute { get; set; } = 1_200;

    /// <summary>Orders created per merchant (the token's subject) per minute.</summary>
    [Range(1, 1_000_000)]
    public int OrdersPerMinute { get; set; } = 600;

    /// <summary>
    /// Sign-in, refresh and sign-out calls per client address per minute: each password check costs milliseconds of CPU,
    /// and lockout alone does not stop one address trying one password on many accounts.
    /// </summary>
    [Range(1, 1_000_000)]
    public int SignInsPerMinute { get; set; } = 60;

    /// <summary>Customer sign-in codes asked for per client address per minute (per number: Customers:CodesPerNumber).</summary>
    [Range(1, 1_000_000)]
    public int CustomerCodesPerMinute { get; set; } = 10;

    /// <summary>Fixes per second one courier connection may send, sustained.</summary>
    [Range(1, 1_000_000)]
    public int FixesPerSecond { get; set; } = 200;

    /// <summary>Fixes one courier connection may send at once above the sustained rate (a catch-up after an offline spell); at least one whole batch (500).</summary>
    [Range(1, 10_000_000)]
    public int FixBurst { get; set; } = 3_000;

    /// <summary>A refused client is logged at most once per this many seconds (with the count of refusals in between).</summary>
    [Range(1, 3_600)]
    public int LogIntervalSeconds { get; set; } = 60;
}
