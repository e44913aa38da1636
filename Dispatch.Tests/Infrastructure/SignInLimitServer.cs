namespace Dispatch.Tests.Infrastructure;

/// <summary>A server that allows 3 sign-in calls per client address per minute, so a test can meet the limit.</summary>
public sealed class SignInLimitServer : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["RateLimits:SignInsPerMinute"] = "3";
}
