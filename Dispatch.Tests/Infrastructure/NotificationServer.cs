using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A server sending customer messages through the Log adapter, its log kept (<see cref="Log"/>); the merchant "night-shop"
/// asked for quiet nights; the sender polls every 100 ms and the delay sweep runs every second.
/// </summary>
public class NotificationServer : DispatchServer
{
    public const string QuietMerchant = "night-shop";
    public const string PublicBase = "https://track.example.test";

    public LogLines Log { get; } = new();

    /// <summary>The customer messages the Log adapter wrote for an order.</summary>
    public IReadOnlyList<string> MessagesFor(string orderNumber) =>
        [.. Log.Lines.Where(l => l.Contains($"Customer message for order {orderNumber} (", StringComparison.Ordinal))];

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Logging:LogLevel:Dispatch.Server.Notifications"] = "Information";
        settings["Logging:Console:LogLevel:Dispatch.Server.Notifications"] = "Warning"; // kept in Log, not echoed to the test output
        settings["Notifications:PublicBaseUrl"] = PublicBase;
        settings["Notifications:SendPollMilliseconds"] = "100";
        settings["Notifications:DelaySweepSeconds"] = "1";
        settings["Notifications:RetryFirstSeconds"] = "1";
        settings["Notifications:QuietNight:Merchants:0"] = QuietMerchant;
        settings["Outbox:PollMilliseconds"] = "200";
    }

    protected override void ConfigureBuilder(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);
}
