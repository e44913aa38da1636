using Quartz;

namespace Dispatch.Server.Archive;

/// <summary>The archive's options and its two Quartz jobs: track_points partition upkeep and order archival.</summary>
internal static class ArchiveComposition
{
    public static IServiceCollection AddArchive(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ArchiveOptions>().Bind(config.GetSection(ArchiveOptions.Section)).ValidateDataAnnotations()
            .Validate(o => CronExpression.TryParse(o.OrderArchiveCron, out _), "Archive:OrderArchiveCron is not a Quartz cron expression (seconds first, e.g. \"0 30 3 * * ?\").")
            .ValidateOnStart();
        var options = config.GetSection(ArchiveOptions.Section).Get<ArchiveOptions>() ?? new ArchiveOptions();
        services.AddSingleton<ArchiveHorizon>();
        services.AddTransient<OrderArchiveJob>();
        services.AddTransient<TrackPointPartitionJob>();
        services.AddQuartz(q =>
        {
            TrackPointPartitionJob.Schedule(q, options);
            // An invalid expression stops the start through the validation above, with its message, rather than here.
            if (CronExpression.TryParse(options.OrderArchiveCron, out _)) OrderArchiveJob.Schedule(q, options);
        });
        return services;
    }
}
