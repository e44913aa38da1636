namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A <see cref="DispatchServer"/> on a <see cref="ScratchRedis"/> of its test's own, which the test may crash and restart;
/// <paramref name="extra"/> adds or overrides settings.
/// </summary>
public sealed class OwnRedisServer(ScratchRedis redis, IReadOnlyDictionary<string, string?>? extra = null) : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Redis"] = redis.ConnectionString;
        settings["Logging:LogLevel:Default"] = "Critical";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
    }
}
