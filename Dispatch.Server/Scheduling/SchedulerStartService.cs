using Dispatch.Server.Schema;
using Quartz;

namespace Dispatch.Server.Scheduling;

/// <summary>
/// Owns this node's Quartz scheduler: builds and starts it once the start-up schema work is done (the qrtz_ tables exist
/// only after the migrations, and a node may start while PostgreSQL is down), retrying with the loop back-off while that
/// fails, and shuts it down with the host, waiting for running jobs to complete. Quartz's own hosted service is not used:
/// it builds the scheduler, which validates the schema, during the host's start, so a node could not start without
/// PostgreSQL (ReadinessTests).
/// </summary>
internal sealed partial class SchedulerStartService(
    DatabaseMigrationService schema,
    ISchedulerFactory schedulers,
    Common.ResilientLoop loops,
    TimeProvider clock,
    ILogger<SchedulerStartService> logger) : BackgroundService
{
    private static readonly TimeSpan SchemaPoll = TimeSpan.FromMilliseconds(200);

    private IScheduler? _started;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var done = false;
        await loops.RunAsync("scheduler-start", "starting the Quartz scheduler", async ct =>
        {
            if (done) return false;
            while (!schema.Completed) await Task.Delay(SchemaPoll, clock, ct);
            return true;
        }, async ct =>
        {
            var scheduler = await schedulers.GetScheduler(ct);
            await scheduler.Start(ct);
            _started = scheduler;
            done = true;
            LogStarted(logger, scheduler.SchedulerName, scheduler.SchedulerInstanceId);
        }, stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_started is { } scheduler) await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler {Name} started as cluster node {InstanceId}")]
    private static partial void LogStarted(ILogger logger, string name, string instanceId);
}
