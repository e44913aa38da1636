using Dispatch.Server.Persistence;
using Quartz;

namespace Dispatch.Server.Scheduling;

/// <summary>
/// Starts this node's Quartz scheduler once the start-up schema work is done (the qrtz_ tables exist only after the
/// migrations, and a node may start while PostgreSQL is down), retrying with the loop back-off while starting fails.
/// Quartz's own hosted service stops it with the host, letting running jobs finish.
/// </summary>
public sealed partial class SchedulerStartService(
    DatabaseMigrationService schema,
    ISchedulerFactory schedulers,
    Common.ResilientLoop loops,
    TimeProvider clock,
    ILogger<SchedulerStartService> logger) : BackgroundService
{
    private static readonly TimeSpan SchemaPoll = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = false;
        await loops.RunAsync("scheduler-start", "starting the Quartz scheduler", async ct =>
        {
            if (started) return false;
            while (!schema.Completed) await Task.Delay(SchemaPoll, clock, ct);
            return true;
        }, async ct =>
        {
            var scheduler = await schedulers.GetScheduler(ct);
            await scheduler.Start(ct);
            started = true;
            LogStarted(logger, scheduler.SchedulerName, scheduler.SchedulerInstanceId);
        }, stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler {Name} started as cluster node {InstanceId}")]
    private static partial void LogStarted(ILogger logger, string name, string instanceId);
}
