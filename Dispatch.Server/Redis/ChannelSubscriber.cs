using StackExchange.Redis;

namespace Dispatch.Server.Redis;

/// <summary>
/// Subscribes to a channel once Redis answers. A node starts while Redis is down (not ready until it returns), so a
/// subscription made at start waits and retries instead of failing the start; the multiplexer keeps it across reconnects.
/// </summary>
internal static partial class ChannelSubscriber
{
    public static async Task<ChannelMessageQueue> SubscribeAsync(IConnectionMultiplexer redis, RedisChannel channel, ILogger logger, CancellationToken ct)
    {
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await redis.GetSubscriber().SubscribeAsync(channel);
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException && !ct.IsCancellationRequested)
            {
                LogWaiting(logger, channel.ToString(), pause.TotalMilliseconds, ex.Message);
                await Task.Delay(pause, ct);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis channel {Channel}: cannot subscribe yet, trying again in {Milliseconds} ms ({Reason})")]
    private static partial void LogWaiting(ILogger logger, string channel, double milliseconds, string reason);
}
