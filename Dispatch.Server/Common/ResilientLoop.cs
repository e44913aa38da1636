using Microsoft.Extensions.Options;

namespace Dispatch.Server.Common;

/// <summary>
/// Runs a background loop so that no failure of its work takes the node down: an unexpected exception is counted,
/// logged with the loop's name and what it was doing (at most once per <see cref="BackgroundLoopOptions.LogIntervalSeconds"/>,
/// with the count of failures in between), and followed by an exponential pause (reset by a success) before the work is
/// tried again. Stopping the host ends the loop quietly. The loop's state lives in <see cref="RunAsync"/>'s locals, so a
/// loop that does not fail allocates nothing here per iteration.
/// </summary>
internal sealed partial class ResilientLoop(
    DispatchMetrics metrics,
    IOptions<BackgroundLoopOptions> options,
    TimeProvider clock,
    ILogger<ResilientLoop> logger,
    ILoopFaults? faults = null)
{
    /// <summary>
    /// Until <paramref name="next"/> says false: waits with it (a timer tick, a queued item), then runs <paramref name="work"/>.
    /// After a failure the work is retried once the pause is over, without waiting for another tick.
    /// </summary>
    public async Task RunAsync(string loop, string doing, Func<CancellationToken, ValueTask<bool>> next, Func<CancellationToken, ValueTask> work,
        CancellationToken stoppingToken)
    {
        var o = options.Value;
        var logInterval = TimeSpan.FromSeconds(o.LogIntervalSeconds);
        var failuresInARow = 0;
        var unlogged = 0L;
        var lastLogged = 0L;
        while (true)
        {
            try
            {
                if (failuresInARow == 0 && !await next(stoppingToken)) return;
                faults?.BeforeWork(loop);
                await work(stoppingToken);
                failuresInARow = 0;
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // The host is stopping: whatever the work met on its way out (a cancelled call, Redis closing under it) is not a failure.
                return;
            }
            catch (Exception ex)
            {
                failuresInARow++;
                metrics.LoopFailed(loop);
                var pause = Pause(failuresInARow, o);
                var now = clock.GetTimestamp();
                if (lastLogged == 0 || clock.GetElapsedTime(lastLogged, now) >= logInterval)
                {
                    LogFailed(logger, loop, doing, unlogged, pause.TotalMilliseconds, ex);
                    lastLogged = now;
                    unlogged = 0;
                }
                else
                {
                    unlogged++;
                }
                try
                {
                    await Task.Delay(pause, clock, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The first pause, doubled for each further failure in a row, never above the cap.</summary>
    public static TimeSpan Pause(int failuresInARow, BackgroundLoopOptions o)
    {
        var first = TimeSpan.FromMilliseconds(o.BackoffFirstMilliseconds);
        var cap = TimeSpan.FromSeconds(o.BackoffMaxSeconds);
        var doublings = Math.Min(failuresInARow - 1, 30);
        var pause = first * Math.Pow(2, doublings);
        return pause < cap ? pause : cap;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Background loop {Loop} failed while {Doing} ({Unlogged} more failure(s) since the last report); retrying in {PauseMs} ms")]
    private static partial void LogFailed(ILogger logger, string loop, string doing, long unlogged, double pauseMs, Exception ex);
}
