namespace Dispatch.Core.Outbox;

/// <summary>
/// Which pending outbox rows may be handed over now: of a window of pending rows in id (commit) order, the first of each
/// order, and every row of no order. A later row of an order waits for the earlier one, wherever that one is (in flight on
/// another node, failing); the window starts at the oldest pending row, so an order's first pending row is never outside it
/// while a later one is inside. Pure.
/// </summary>
public static class FirstPerOrder
{
    /// <summary>At most <paramref name="limit"/> ids, in the window's order. <paramref name="window"/> is sorted by id.</summary>
    public static List<long> Pick(IReadOnlyList<(long Id, Guid? OrderId)> window, int limit)
    {
        ArgumentNullException.ThrowIfNull(window);
        var seen = new HashSet<Guid>();
        var picked = new List<long>(Math.Min(limit, window.Count));
        foreach (var (id, orderId) in window)
        {
            if (picked.Count == limit) break;
            if (orderId is { } order && !seen.Add(order)) continue;
            picked.Add(id);
        }
        return picked;
    }
}
