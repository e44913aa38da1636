using Dispatch.Server.Fleet;
using Dispatch.Server.Redis;
using StackExchange.Redis;

namespace Dispatch.Server.Couriers;

/// <summary>
/// A courier's orders changed and the outbox relay handed the change to a node they are not connected to: that node publishes
/// the courier's id (<see cref="CourierLoadEffects"/>), and the node holding the courier's session reloads their orders in
/// progress and their load from Postgres (the same reload, <see cref="CourierLoadEffects.ReloadHereAsync"/>). So its position pushes
/// stop for an order taken away, start for one given, and Redis shows the right load.
/// </summary>
internal sealed partial class CourierOrdersSync(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    OnlineCouriers sessions,
    CourierLoadEffects loads,
    Common.ResilientLoop loops,
    ILogger<CourierOrdersSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ChannelMessageQueue queue;
        try
        {
            queue = await ChannelSubscriber.SubscribeAsync(redis, keys.CourierOrders(), logger, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        Guid? next = null;
        try
        {
            // A reload that fails is dropped (the courier's next going online reloads them anyway); the loop is counted,
            // logged and backs off, and never stops the node.
            await loops.RunAsync("courier-orders", "reloading a courier's orders changed on another node", async ct =>
            {
                while (true)
                {
                    var message = await queue.ReadAsync(ct);
                    if (Guid.TryParseExact(message.Message.ToString(), "N", out var courierId))
                    {
                        next = courierId;
                        return true;
                    }
                }
            }, async ct =>
            {
                if (next is not { } courierId) return;
                next = null;
                await ReloadAsync(courierId, ct);
            }, stoppingToken);
        }
        finally
        {
            await queue.UnsubscribeAsync();
        }
    }

    /// <summary>Reloads one courier's orders in progress and load, if their session is on this node.</summary>
    private async Task ReloadAsync(Guid courierId, CancellationToken ct)
    {
        // Every node hears it; only the one holding the courier's session has anything to reload.
        if (sessions.Find(courierId) is null) return;
        await loads.ReloadHereAsync([courierId], ct);
        LogReloaded(logger, courierId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Courier {CourierId}: orders changed on another node; reloaded their orders in progress")]
    private static partial void LogReloaded(ILogger logger, Guid courierId);
}
