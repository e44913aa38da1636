namespace Dispatch.Server.Errands;

/// <summary>Wires errands: buy-for-me receipts and multi-stop progress, and their pushes from the outbox.</summary>
internal static class ErrandsComposition
{
    public static IServiceCollection AddErrands(this IServiceCollection services)
    {
        services.AddSingleton<ReceiptCoordinator>();
        services.AddSingleton<StopCoordinator>();
        services.AddSingleton<Outbox.IOutboxConsumer, ErrandPushes>();
        return services;
    }
}
