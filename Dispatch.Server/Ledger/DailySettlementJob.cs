using Quartz;

namespace Dispatch.Server.Ledger;

/// <summary>
/// The Quartz job that settles, in each zone's time zone, the last local day that is over (hourly by default, so each zone's
/// day closes soon after its own midnight). Run once across nodes by the clustered scheduler; a second run of the same
/// day books nothing, so a misfire re-run is harmless. Not concurrent on one scheduler.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class DailySettlementJob(DailySettlement settlement, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("ledger-daily-settlement", "ledger");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var day in settlement.DueDays(clock.GetUtcNow())) await settlement.RunAsync(day, cancellationToken);
    }
}
