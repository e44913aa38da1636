namespace Dispatch.Tests.Infrastructure;

/// <summary>A server with rate limits low enough for a test to reach them in a few calls (the fix burst as low as allowed: one whole batch).</summary>
public sealed class RateLimitServer : DispatchServer
{
    public const int Orders = 3, Callbacks = 3, Subscriptions = 3, FixesPerSecond = 5, FixBurst = Dispatch.Core.Contracts.HubPaths.MaxFixesPerBatch;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["RateLimits:OrdersPerMinute"] = Orders.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["RateLimits:PaymentCallbacksPerMinute"] = Callbacks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["RateLimits:TrackingSubscriptionsPerMinute"] = Subscriptions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["RateLimits:FixesPerSecond"] = FixesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["RateLimits:FixBurst"] = FixBurst.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
