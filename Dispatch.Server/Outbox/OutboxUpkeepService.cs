using Dispatch.Server.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Outbox;

/// <summary>
/// Keeps the outbox table operable: measures the lag (age of the oldest event not yet processed; metric dispatch.outbox.lag,
/// a warning when it passes <see cref="OutboxOptions.LagWarningSeconds"/>), at start and then every
/// <see cref="OutboxOptions.LagCheckMilliseconds"/> on every node. Processed rows are deleted by <see cref="OutboxPurgeJob"/>.
/// </summary>
internal sealed partial class OutboxUpkeepService(
    NpgsqlDataSource dataSource,
    IOptions<OutboxOptions> options,
    ResilientLoop loops,
    DispatchMetrics metrics,
    TimeProvider clock,
    ILogger<OutboxUpkeepService> logger) : BackgroundService
{
    private bool _lagging;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        using var lagTimer = new PeriodicTimer(TimeSpan.FromMilliseconds(o.LagCheckMilliseconds), clock);
        await loops.RunAsync("outbox-lag", "measuring the outbox lag", Ticks(lagTimer), MeasureLagAsync, stoppingToken);
    }

    /// <summary>At once, then on each tick of <paramref name="timer"/>.</summary>
    private static Func<CancellationToken, ValueTask<bool>> Ticks(PeriodicTimer timer)
    {
        var started = false;
        return async ct =>
        {
            if (!started) return started = true;
            return await timer.WaitForNextTickAsync(ct);
        };
    }

    private async ValueTask MeasureLagAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select id, kind, created_at from outbox where processed_at is null order by id limit 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var lag = TimeSpan.Zero;
        if (await reader.ReadAsync(ct))
        {
            lag = clock.GetUtcNow() - reader.GetFieldValue<DateTimeOffset>(2);
            if (lag < TimeSpan.Zero) lag = TimeSpan.Zero;
        }
        metrics.OutboxLag(lag);
        var threshold = TimeSpan.FromSeconds(options.Value.LagWarningSeconds);
        if (!_lagging && lag > threshold)
        {
            _lagging = true;
            LogLagging(logger, lag.TotalSeconds, threshold.TotalSeconds, reader.GetInt64(0), reader.GetString(1));
        }
        else if (_lagging && lag <= threshold)
        {
            _lagging = false;
            LogCaughtUp(logger, lag.TotalSeconds, threshold.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox lag is {LagSeconds:F0} s, over {ThresholdSeconds} s: event #{Sequence} ({Kind}) and those after it wait for the relay or a failing consumer")]
    private static partial void LogLagging(ILogger logger, double lagSeconds, double thresholdSeconds, long sequence, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox lag is back to {LagSeconds:F1} s, under {ThresholdSeconds} s")]
    private static partial void LogCaughtUp(ILogger logger, double lagSeconds, double thresholdSeconds);
}
