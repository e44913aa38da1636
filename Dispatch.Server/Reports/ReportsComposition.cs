using Quartz;

namespace Dispatch.Server.Reports;

/// <summary>Wires the statistics roll-up, its daily Quartz job (run by the cluster's scheduler in Scheduling/) and the reports API.</summary>
internal static class ReportsComposition
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ReportsOptions>().Bind(config.GetSection(ReportsOptions.Section)).ValidateDataAnnotations()
            .Validate(o => CronExpression.TryParse(o.RollupCron, out _), $"{ReportsOptions.Section}:RollupCron is not a Quartz cron expression.").ValidateOnStart();
        services.AddSingleton<StatisticsFacts>();
        services.AddSingleton<StatisticsStore>();
        services.AddSingleton<StatisticsRollup>();
        var cron = config.GetSection(ReportsOptions.Section).Get<ReportsOptions>()?.RollupCron ?? new ReportsOptions().RollupCron;
        services.AddQuartz(q =>
        {
            q.AddJob<StatisticsRollupJob>(j => j.WithIdentity(StatisticsRollupJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(StatisticsRollupJob.Key).WithIdentity("statistics-rollup-daily", "reports")
                .WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc)));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app) => app.MapReportsApi();
}
