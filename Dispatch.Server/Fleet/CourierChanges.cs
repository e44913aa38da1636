using Dispatch.Core.Couriers;

namespace Dispatch.Server.Fleet;

/// <summary>
/// The fleet's "courier changed" notification. A fix flush reports the couriers it wrote; a load or state change between
/// flushes is raised here and goes out with the next flush (≤ 250 ms), so listeners are called from one loop, one call at
/// a time, as they were when such changes rode the fix queue as empty batches.
/// </summary>
internal sealed class CourierChanges(IEnumerable<ICourierChangeListener> listeners)
{
    private readonly ICourierChangeListener[] _listeners = [.. listeners];
    private readonly Lock _sync = new();
    private Dictionary<Guid, CourierSnapshot> _raised = [];

    /// <summary>A courier's new state, written to Redis outside a flush (load, orders reloaded); the next flush tells the listeners.</summary>
    public void Raise(CourierSnapshot snapshot)
    {
        lock (_sync) _raised[snapshot.CourierId] = snapshot;
    }

    /// <summary>Tells every listener of the couriers a flush wrote and of those raised since the last flush (a flushed state wins: it is newer).</summary>
    public async Task NotifyAsync(IReadOnlyList<CourierSnapshot> flushed)
    {
        Dictionary<Guid, CourierSnapshot> raised;
        lock (_sync)
        {
            if (_raised.Count == 0) raised = _raised;
            else (raised, _raised) = (_raised, []);
        }
        IReadOnlyList<CourierSnapshot> changed = flushed;
        if (raised.Count > 0)
        {
            foreach (var snapshot in flushed) raised.Remove(snapshot.CourierId);
            changed = [.. flushed, .. raised.Values];
        }
        foreach (var listener in _listeners) await listener.CouriersChangedAsync(changed);
    }
}
