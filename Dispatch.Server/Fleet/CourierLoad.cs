
namespace Dispatch.Server.Fleet;

/// <summary>
/// Changes how many orders a courier has (assigned, carrying) and writes their state to Redis at once, so dispatch
/// sees it; an empty batch on the fix queue makes the next flush show the new state on the boards too. A courier connected
/// to another node is told through <see cref="CourierOrdersSync"/>: that node reloads their orders and load.
/// </summary>
public sealed class CourierLoad(OnlineCouriers sessions, CourierLocator locator, Locations.LocationChannels channels, Couriers.CourierOrdersSync others)
{
    public async Task ChangeAsync(Guid courierId, int activeDelta, int carryingDelta)
    {
        var session = sessions.Find(courierId);
        if (session is null)
        {
            await others.PublishAsync(courierId);
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
        channels.Fixes.Add(new Locations.FixBatch(session, [], [], [], []));
    }
}
