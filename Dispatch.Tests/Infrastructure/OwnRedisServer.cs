namespace Dispatch.Tests.Infrastructure;

/// <summary>A <see cref="DispatchServer"/> on a <see cref="ScratchRedis"/> of its test's own, which the test may crash and restart.</summary>
public sealed class OwnRedisServer(ScratchRedis redis) : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Redis"] = redis.ConnectionString;
        settings["Logging:LogLevel:Default"] = "Critical";
    }
}
