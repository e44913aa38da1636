namespace Dispatch.Tests.Infrastructure;

/// <summary>Monaco's road network (as <see cref="RoadNetworkServer"/>) on a <see cref="ScratchRedis"/> of the test's own, which it may crash and restart.</summary>
public sealed class OwnRedisRoadNetworkServer(ScratchRedis redis) : RoadNetworkServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["ConnectionStrings:Redis"] = redis.ConnectionString;
        settings["Logging:LogLevel:Default"] = "Critical";
    }
}
