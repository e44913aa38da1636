namespace Dispatch.Server.Routing;

/// <summary>Wires routing: the road router, the route planner and its pushes from the outbox, re-routes, in-memory travel times, and the zones' ETA pads.</summary>
internal static class RoutingComposition
{
    public static IServiceCollection AddRoadRouting(this IServiceCollection services)
    {
        services.AddSingleton<RoadRouter>();
        services.AddSingleton<RoutePlanner>();
        services.AddSingleton<Outbox.IOutboxConsumer, RoutePushes>();
        services.AddSingleton<RerouteService>();
        services.AddSingleton<TravelTimes>();
        services.AddSingleton<EtaPads>();
        services.AddHostedService(sp => sp.GetRequiredService<RerouteService>());
        services.AddHostedService(sp => sp.GetRequiredService<TravelTimes>());
        services.AddHostedService(sp => sp.GetRequiredService<EtaPads>());
        return services;
    }
}
