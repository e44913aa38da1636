namespace Dispatch.Tests.Infrastructure;

/// <summary>A server that lets one address start 2 tracking-hub requests a minute (one connection: negotiate and upgrade).</summary>
public sealed class TrackingConnectionLimitServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["RateLimits:TrackingConnectionsPerMinute"] = "2";
}
