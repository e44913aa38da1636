namespace Dispatch.Server.Orders;

/// <summary>Wires the order coordinators (create, deliver, hand over, fail, expire, rate), milestones and the order effects.</summary>
internal static class OrdersComposition
{
    public static IServiceCollection AddOrders(this IServiceCollection services)
    {
        services.AddSingleton<DeliveryCoordinator>();
        services.AddSingleton<HandOverCoordinator>();
        services.AddSingleton<FailCoordinator>();
        services.AddSingleton<UnpaidExpiryCoordinator>();
        services.AddSingleton<OrderCoordinator>();
        services.AddSingleton<RatingCoordinator>();
        services.AddSingleton<MilestoneService>();
        services.AddHostedService(sp => sp.GetRequiredService<MilestoneService>());
        services.AddSingleton<Outbox.IOutboxConsumer, OrderEffects>();
        return services;
    }
}
