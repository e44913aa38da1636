using Microsoft.Extensions.Options;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// The dispatch heartbeat: expires offers past their lease (moving the order to the next courier) and retries
/// orders no courier could take yet, widening the search radius each time.
/// </summary>
public sealed partial class DispatchLoopService(
    DispatchCoordinator dispatch,
    IOptions<DispatchOptions> options,
    ILogger<DispatchLoopService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.LoopIntervalMilliseconds));
        var retryEvery = Math.Max(1, 2_000 / options.Value.LoopIntervalMilliseconds);
        var tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await dispatch.ExpireDueOffersAsync(stoppingToken);
                    if (++tick % retryEvery == 0) await dispatch.RetryUnassignedAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogTickFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatch loop tick failed; next tick retries")]
    private static partial void LogTickFailed(ILogger logger, Exception ex);
}
