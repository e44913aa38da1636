using System.Collections.Concurrent;

namespace Dispatch.Server.Fleet;

/// <summary>The couriers online on this node, by id.</summary>
internal sealed class OnlineCouriers
{
    private readonly ConcurrentDictionary<Guid, OnlineCourier> _sessions = new();

    public OnlineCourier GetOrAdd(Guid courierId, string name) => _sessions.GetOrAdd(courierId, id => new OnlineCourier(id, name));

    public OnlineCourier? Find(Guid courierId) => _sessions.GetValueOrDefault(courierId);

    public int OnlineCount => _sessions.Values.Count(s => s.Online);
}
