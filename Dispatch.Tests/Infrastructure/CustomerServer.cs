using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A server whose customer messages go through the Log adapter into <see cref="Log"/>, so tests read the sign-in codes
/// customers are sent, as a person reads them in the demo's log.
/// </summary>
public class CustomerServer : DispatchServer
{
    public LogLines Log { get; } = new();

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Logging:LogLevel:Dispatch.Server.Notifications"] = "Information";
        settings["Logging:Console:LogLevel:Dispatch.Server.Notifications"] = "Warning";
        settings["RateLimits:CustomerCodesPerMinute"] = "1000";
        settings["RateLimits:SignInsPerMinute"] = "1000";
    }

    protected override void ConfigureBuilder(WebApplicationBuilder builder) => builder.Logging.AddProvider(Log);
}

/// <summary>Only 6 code requests a minute per address, 2 codes per number.</summary>
public sealed class CustomerCodeLimitServer : CustomerServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["RateLimits:CustomerCodesPerMinute"] = "6";
        settings["Customers:CodesPerNumber"] = "2";
    }
}
