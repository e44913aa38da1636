using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Dispatch.Server.ControlRoom;

/// <summary>Refreshes every zone's open orders, alerts and key figures for the boards every <see cref="ControlRoomOptions.RefreshMilliseconds"/>.</summary>
internal sealed partial class ControlRoomService(ControlRoomCoordinator board, IOptions<ControlRoomOptions> options, Common.ResilientLoop loops, ILogger<ControlRoomService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.RefreshMilliseconds));
        await loops.RunAsync("control-room", "refreshing the boards", timer.WaitForNextTickAsync, RefreshOnceAsync, stoppingToken);
    }

    private async ValueTask RefreshOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await board.RefreshAllAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or RedisException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
        {
            // The boards keep their last picture; the next tick tries again.
            LogRefreshFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control-room refresh failed; boards keep their last picture until the next tick")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex);
}
