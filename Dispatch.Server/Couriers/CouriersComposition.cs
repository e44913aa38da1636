namespace Dispatch.Server.Couriers;

/// <summary>Wires the courier side: presence, earnings, and the sync of each courier's orders into the live assignments.</summary>
public static class CouriersComposition
{
    public static IServiceCollection AddCouriers(this IServiceCollection services)
    {
        services.AddSingleton<CourierOrdersSync>();
        services.AddHostedService(sp => sp.GetRequiredService<CourierOrdersSync>());
        services.AddSingleton<PresenceCoordinator>();
        services.AddSingleton<CourierEarnings>();
        return services;
    }
}
