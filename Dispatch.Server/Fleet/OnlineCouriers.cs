using System.Collections.Concurrent;

namespace Dispatch.Server.Fleet;

/// <summary>The couriers online on this node, by id.</summary>
internal sealed class OnlineCouriers
{
    private readonly ConcurrentDictionary<Guid, OnlineCourier> _sessions = new();
    private long _ordersStamp;

    public OnlineCourier GetOrAdd(Guid courierId, string name) => _sessions.GetOrAdd(courierId, id => new OnlineCourier(id, name));

    public OnlineCourier? Find(Guid courierId) => _sessions.GetValueOrDefault(courierId);

    public int OnlineCount => _sessions.Values.Count(s => s.Online);

    /// <summary>A stamp later than every one given before on this node (<see cref="OnlineCourier.OrdersKnownAt"/>).</summary>
    public long NextOrdersStamp() => Interlocked.Increment(ref _ordersStamp);

    /// <summary>
    /// A commit this node just made gave the courier an order, and it is put in this node's book at once (the route planned
    /// next attaches to it): a read of their orders begun before that commit is read again rather than take it out.
    /// </summary>
    public void OrdersKnownNow(Guid courierId)
    {
        if (Find(courierId) is not { } session) return;
        lock (session.Sync) session.OrdersKnownAt = NextOrdersStamp();
    }
}
