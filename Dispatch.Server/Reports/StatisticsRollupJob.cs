using Quartz;

namespace Dispatch.Server.Reports;

/// <summary>The daily Quartz job: rolls up yesterday (UTC). Idempotent, so a misfire run again or by another node does no harm.</summary>
[DisallowConcurrentExecution]
internal sealed class StatisticsRollupJob(StatisticsRollup rollup, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("statistics-rollup", "reports");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var yesterday = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        await rollup.RunAsync(yesterday, cancellationToken);
    }
}
