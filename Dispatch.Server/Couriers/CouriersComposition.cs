using Dispatch.Server.Hubs;

namespace Dispatch.Server.Couriers;

/// <summary>
/// Wires the courier side: the hub's clients (the features that tell couriers reach them through <see cref="ICourierClients"/>),
/// presence, earnings, and the sync of each courier's orders into the live assignments and their load in Redis, after
/// every committed change of them (<see cref="CourierLoadEffects"/>, an outbox consumer).
/// </summary>
internal static class CouriersComposition
{
    public static IServiceCollection AddCouriers(this IServiceCollection services)
    {
        services.AddSingleton<ICourierClients, CourierClients>();
        services.AddSingleton<CourierLoadEffects>();
        services.AddSingleton<Outbox.IOutboxConsumer>(sp => sp.GetRequiredService<CourierLoadEffects>());
        services.AddSingleton<CourierOrdersSync>();
        services.AddHostedService(sp => sp.GetRequiredService<CourierOrdersSync>());
        services.AddSingleton<CourierNames>();
        services.AddSingleton<PresenceCoordinator>();
        services.AddSingleton<CourierEarnings>();
        return services;
    }
}
