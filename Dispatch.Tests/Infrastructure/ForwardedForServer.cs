namespace Dispatch.Tests.Infrastructure;

/// <summary>A server whose per-address tile limit a test reaches in a few calls, to see which address it counts.</summary>
public sealed class ForwardedForServer : DispatchServer
{
    public const int TilesPerMinute = 2;

    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["RateLimits:TilesPerMinute"] = TilesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
