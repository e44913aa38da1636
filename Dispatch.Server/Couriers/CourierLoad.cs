using Dispatch.Server.Redis;

namespace Dispatch.Server.Couriers;

/// <summary>Changes how many orders a courier has (assigned, carrying) and writes their state to Redis at once, so dispatch sees it.</summary>
public sealed class CourierLoad(OnlineCouriers sessions, CourierLocator locator)
{
    public async Task ChangeAsync(Guid courierId, int activeDelta, int carryingDelta)
    {
        var session = sessions.Find(courierId);
        if (session is null) return;
        Dispatch.Core.Couriers.CourierSnapshot? snapshot;
        lock (session.Sync)
        {
            session.ActiveOrders = Math.Max(0, session.ActiveOrders + activeDelta);
            session.CarryingOrders = Math.Max(0, session.CarryingOrders + carryingDelta);
            snapshot = session.Online ? session.ToSnapshot() : null;
        }
        if (snapshot is not null) await locator.SaveAsync(snapshot);
    }
}
