using Microsoft.Extensions.Options;

namespace Dispatch.Server.Dispatching;

/// <summary>Runs the <see cref="RecoveryCoordinator"/> once at start and then every <see cref="DispatchOptions.RecoverySweepSeconds"/>.</summary>
public sealed partial class RecoverySweepService(
    RecoveryCoordinator recovery,
    IOptions<DispatchOptions> options,
    ILogger<RecoverySweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RecoverySweepSeconds));
        try
        {
            do
            {
                try
                {
                    await recovery.SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A failed sweep (database away, a migration not yet run at start) is tried again at the next tick.
                    LogSweepFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery sweep failed; the next tick retries")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
