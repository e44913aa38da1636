using Dispatch.Server.Common;
using Dispatch.Server.Redis;
using StackExchange.Redis;

namespace Dispatch.Server.Tracking;

/// <summary>
/// Keeps this node's part of the <see cref="WatchDirectory"/>: hears the watch-added channel (cached answers are dropped while
/// Redis is away, when messages may be lost), renews the node's marks every third of a lease, and removes them on stop.
/// </summary>
internal sealed partial class WatchDirectoryService(
    WatchDirectory directory,
    LocalWatchers watchers,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    ResilientLoop loops,
    ILogger<WatchDirectoryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ChannelMessageQueue queue;
        try
        {
            queue = await ChannelSubscriber.SubscribeAsync(redis, keys.WatchAdded(), logger, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        queue.OnMessage(message => directory.Heard(message.Message));
        redis.ConnectionFailed += OnFailed;
        redis.ConnectionRestored += OnRestored;
        directory.Listening(true);
        try
        {
            using var timer = new PeriodicTimer(directory.RenewEvery);
            await loops.RunAsync("tracking-watch", "renewing this node's tracking watch marks", timer.WaitForNextTickAsync,
                async _ => await directory.RenewAsync([.. watchers.Orders]), stoppingToken);
        }
        finally
        {
            redis.ConnectionFailed -= OnFailed;
            redis.ConnectionRestored -= OnRestored;
            directory.Listening(false);
            await queue.UnsubscribeAsync();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await directory.RemoveAsync([.. watchers.Orders]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            // The marks run out by themselves.
            LogRemoveFailed(logger, ex);
        }
    }

    private void OnFailed(object? sender, ConnectionFailedEventArgs e) => directory.Listening(false);

    private void OnRestored(object? sender, ConnectionFailedEventArgs e) => directory.Listening(true);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove this node's tracking watch marks on stop; they expire by themselves")]
    private static partial void LogRemoveFailed(ILogger logger, Exception ex);
}
