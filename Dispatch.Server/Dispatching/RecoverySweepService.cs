using Microsoft.Extensions.Options;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Runs the <see cref="RecoveryCoordinator"/> and the <see cref="Orders.UnpaidExpiryCoordinator"/> (orders no process owns)
/// once at start and then every <see cref="DispatchOptions.RecoverySweepSeconds"/>.
/// </summary>
internal sealed class RecoverySweepService(
    RecoveryCoordinator recovery,
    Orders.UnpaidExpiryCoordinator unpaid,
    Common.ResilientLoop loops,
    IOptions<DispatchOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RecoverySweepSeconds));
        var started = false;
        // The first sweep runs at once (orders stranded before this node started), then one per tick.
        ValueTask<bool> NextAsync(CancellationToken ct)
        {
            if (started) return timer.WaitForNextTickAsync(ct);
            started = true;
            return ValueTask.FromResult(true);
        }
        await loops.RunAsync("recovery-sweep", "returning orders offered with no pending offer to dispatch and cancelling unpaid ones", NextAsync,
            async ct =>
            {
                await recovery.SweepAsync(ct);
                await unpaid.SweepAsync(ct);
            }, stoppingToken);
    }
}
