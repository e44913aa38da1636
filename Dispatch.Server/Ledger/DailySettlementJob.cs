using Quartz;

namespace Dispatch.Server.Ledger;

/// <summary>
/// The Quartz job that settles yesterday (local). Run once across nodes by the clustered scheduler; a second run of the same
/// day books nothing, so a misfire re-run is harmless. Not concurrent on one scheduler.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DailySettlementJob(DailySettlement settlement, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("ledger-daily-settlement", "ledger");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await settlement.RunAsync(settlement.Yesterday(clock.GetUtcNow()), cancellationToken);
    }
}
