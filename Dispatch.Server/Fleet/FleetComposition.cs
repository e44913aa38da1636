namespace Dispatch.Server.Fleet;

/// <summary>
/// Wires the live courier picture: its Redis keys, the reads and writes, this node's couriers and zone cache, the orders
/// each courier works on here (<see cref="AssignmentBook"/>), the change notification and the presence sweep. Listeners (<see cref="ICourierChangeListener"/>, <see cref="ICourierSilenceListener"/>)
/// are registered by the features that listen.
/// </summary>
internal static class FleetComposition
{
    public static IServiceCollection AddFleet(this IServiceCollection services)
    {
        services.AddSingleton<FleetKeys>();
        services.AddSingleton<FleetReader>();
        services.AddSingleton<ZoneCourierCache>();
        services.AddSingleton<OnlineCouriers>();
        services.AddSingleton<FleetWriter>();
        services.AddSingleton<CourierChanges>();
        services.AddSingleton<AssignmentBook>();
        services.AddSingleton<PresenceSweepService>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceSweepService>());
        return services;
    }
}
