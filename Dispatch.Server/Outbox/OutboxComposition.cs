using Quartz;

namespace Dispatch.Server.Outbox;

/// <summary>
/// Wires the outbox: its options (validated at start), the relay that hands committed changes to the consumers each
/// feature registers (<see cref="IOutboxConsumer"/>), the upkeep loop and the purge job.
/// </summary>
internal static class OutboxComposition
{
    public static IServiceCollection AddOutbox(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<OutboxOptions>().Bind(config.GetSection(OutboxOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        services.AddHostedService<OutboxUpkeepService>();
        services.AddQuartz(q => OutboxPurgeJob.Schedule(q, config.GetSection(OutboxOptions.Section).Get<OutboxOptions>() ?? new()));
        return services;
    }
}
