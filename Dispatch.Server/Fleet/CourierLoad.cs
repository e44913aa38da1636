using Dispatch.Server.Redis;
using StackExchange.Redis;

namespace Dispatch.Server.Fleet;

/// <summary>
/// Changes how many orders a courier has (assigned, carrying) and writes their state to Redis at once, so dispatch
/// sees it, and raises the change (<see cref="CourierChanges"/>) for the boards and tracking. For a courier connected to
/// another node it publishes their id on the courier-orders channel: that node reloads their orders and load.
/// </summary>
public sealed class CourierLoad(OnlineCouriers sessions, CourierLocator locator, CourierChanges changes, IConnectionMultiplexer redis, RedisKeys keys)
{
    public async Task ChangeAsync(Guid courierId, int activeDelta, int carryingDelta)
    {
        var session = sessions.Find(courierId);
        if (session is null)
        {
            await redis.GetSubscriber().PublishAsync(keys.CourierOrders(), courierId.ToString("N"));
            return;
        }
        Dispatch.Core.Couriers.CourierSnapshot? snapshot;
        lock (session.Sync)
        {
            session.ActiveOrders = Math.Max(0, session.ActiveOrders + activeDelta);
            session.CarryingOrders = Math.Max(0, session.CarryingOrders + carryingDelta);
            snapshot = session.Online ? session.ToSnapshot() : null;
        }
        if (snapshot is null) return;
        await locator.SaveAsync(snapshot);
        changes.Raise(snapshot);
    }
}
