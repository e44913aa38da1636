namespace Dispatch.Server.Dispatching;

/// <summary>Wires dispatch: strategies, offer and batch rounds, answers, recovery, the decision log and the zone loop.</summary>
internal static class DispatchingComposition
{
    public static IServiceCollection AddDispatching(this IServiceCollection services)
    {
        services.AddSingleton<ZoneStrategies>();
        services.AddSingleton<OfferRounds>();
        services.AddSingleton<Orders.IOrderDispatch>(sp => sp.GetRequiredService<OfferRounds>());
        services.AddSingleton<Fleet.ICourierSilenceListener, OffersOnCourierSilence>();
        services.AddSingleton<BatchRound>();
        services.AddSingleton<OfferAnswers>();
        services.AddSingleton<PendingOffers>();
        services.AddSingleton<RecoveryCoordinator>();
        services.AddSingleton<AbandonedOrders>();
        services.AddSingleton<CourierTrips>();
        services.AddSingleton<Outbox.IOutboxConsumer, OfferPushes>();
        // Before the dispatch loop: hosted services stop in reverse, so the loop stops first and the log then stores what it queued.
        services.AddSingleton<DecisionLog>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionLog>());
        services.AddHostedService<DispatchLoopService>();
        services.AddHostedService<RecoverySweepService>();
        return services;
    }
}
