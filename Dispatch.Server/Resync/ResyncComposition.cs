using Dispatch.Server.Redis;

namespace Dispatch.Server.Resync;

/// <summary>Wires the heal of what pub/sub lost while Redis was away (<see cref="ResyncAfterRedisReturns"/>).</summary>
internal static class ResyncComposition
{
    public static IServiceCollection AddResync(this IServiceCollection services)
    {
        services.AddSingleton<SubscriptionsRestored>();
        services.AddHostedService<ResyncAfterRedisReturns>();
        return services;
    }
}
