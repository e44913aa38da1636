using Quartz;

namespace Dispatch.Server.Scheduling;

/// <summary>
/// Quartz.NET with its persistent ADO job store on the project's PostgreSQL, clustered: the tables come from the
/// SchedulingTables migration, jobs and triggers live in them, and the nodes take each firing under Quartz's row lock.
/// Features add their jobs with their own <c>services.AddQuartz(q => …)</c>; this sets the store, and
/// <see cref="SchedulerStartService"/> starts and stops the scheduler.
/// </summary>
internal static class SchedulingComposition
{
    /// <summary>The scheduler's name, shared by every node of the deployment (qrtz_*.sched_name).</summary>
    public const string SchedulerName = "dispatch";

    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SchedulingOptions>().Bind(config.GetSection(SchedulingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = config.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions();
        var postgres = config.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set. Run infra/start.sh and use the settings it prints.");
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = SchedulerName);
            q.UseDefaultThreadPool(options.ThreadCount);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(postgres);
                store.UseSystemTextJsonSerializer();
                store.UseClustering(c => c.CheckinInterval = TimeSpan.FromMilliseconds(options.CheckinIntervalMilliseconds));
            });
        });
        // Started once the schema is there and stopped waiting for running jobs by SchedulerStartService, not by
        // AddQuartzHostedService (which builds the scheduler during the host's start: no start without PostgreSQL).
        if (options.Enabled) services.AddHostedService<SchedulerStartService>();
        return services;
    }
}
