using System.Collections.Concurrent;

namespace Dispatch.Server.Tracking;

/// <summary>
/// This node's customer connections per order they watch (the local members of each <c>order:</c> group). Pushes read it
/// without a lock on every send; subscribes and disconnects write it under one, replacing the order's array.
/// </summary>
internal sealed class LocalWatchers
{
    private readonly ConcurrentDictionary<Guid, string[]> _byOrder = new();
    private readonly Dictionary<string, List<Guid>> _byConnection = [];
    private readonly Lock _gate = new();

    /// <summary>The connections on this node watching the order; empty when none.</summary>
    public string[] Of(Guid orderId) => _byOrder.TryGetValue(orderId, out var ids) ? ids : [];

    /// <summary>Orders with at least one watcher on this node.</summary>
    public ICollection<Guid> Orders => _byOrder.Keys;

    /// <summary>Connections watching something on this node.</summary>
    public int Connections
    {
        get
        {
            lock (_gate) return _byConnection.Count;
        }
    }

    /// <summary>The connections watching something on this node.</summary>
    public string[] ConnectionIds
    {
        get
        {
            lock (_gate) return [.. _byConnection.Keys];
        }
    }

    /// <summary>Adds the watcher; true when it is the order's first on this node.</summary>
    public bool Add(string connectionId, Guid orderId)
    {
        lock (_gate)
        {
            var current = Of(orderId);
            if (current.Contains(connectionId)) return false;
            _byOrder[orderId] = [.. current, connectionId];
            if (!_byConnection.TryGetValue(connectionId, out var orders)) _byConnection[connectionId] = orders = [];
            orders.Add(orderId);
            return current.Length == 0;
        }
    }

    /// <summary>Forgets a connection; the orders it leaves with no watcher on this node.</summary>
    public List<Guid> Remove(string connectionId)
    {
        var emptied = new List<Guid>();
        lock (_gate)
        {
            if (!_byConnection.Remove(connectionId, out var orders)) return emptied;
            foreach (var orderId in orders)
            {
                var left = Of(orderId).Where(id => id != connectionId).ToArray();
                if (left.Length > 0)
                {
                    _byOrder[orderId] = left;
                }
                else
                {
                    _byOrder.TryRemove(orderId, out _);
                    emptied.Add(orderId);
                }
            }
        }
        return emptied;
    }
}
