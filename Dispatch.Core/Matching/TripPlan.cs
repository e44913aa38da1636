using Dispatch.Core.Geo;

namespace Dispatch.Core.Matching;

/// <summary>
/// One stop of a planned trip: the order, pickup or drop-off, where, and when the courier arrives and leaves.
/// <paramref name="IsVia"/>: an intermediate stop of a multi-stop errand, made just before that order's drop-off.
/// </summary>
internal sealed record PlannedStop(Guid OrderId, bool IsPickup, LatLon At, DateTimeOffset ArriveAt, DateTimeOffset LeaveAt, bool IsVia = false);

/// <summary>
/// A courier's trip over the orders they hold: every pending pickup, then the drop-offs (frozen first). Times are
/// estimates from the plan's leg model; <see cref="PickupAt"/> is when the goods leave the pickup (or left it).
/// </summary>
internal sealed record TripPlan(IReadOnlyList<PlannedStop> Stops, IReadOnlyDictionary<Guid, DateTimeOffset> PickupAt, IReadOnlyDictionary<Guid, DateTimeOffset> DropoffAt)
{
    public DateTimeOffset FinishAt(DateTimeOffset start) => Stops.Count == 0 ? start : Stops[^1].LeaveAt;

    /// <summary>How long the goods of an order are on board: from leaving the pickup to the hand-over.</summary>
    public TimeSpan OnBoard(Guid orderId) => DropoffAt[orderId] - PickupAt[orderId];
}

/// <summary>
/// A trip plan's time per order: a handful of entries (the orders of one courier's trip), kept in two arrays in the order
/// they were first set, as a dictionary without removals keeps them. A batch round makes thousands of plans; this holds
/// each plan's times in two small arrays, where a dictionary needs three arrays and an object, and a
/// <see cref="TripWorkspace"/> empties and refills the same two.
/// </summary>
internal sealed class OrderTimes(int capacity) : IReadOnlyDictionary<Guid, DateTimeOffset>
{
    private Guid[] _ids = new Guid[capacity];
    private DateTimeOffset[] _times = new DateTimeOffset[capacity];

    public int Count { get; private set; }

    /// <summary>Sets the order's time, replacing the one it had (its place stays).</summary>
    public void Set(Guid orderId, DateTimeOffset at)
    {
        var i = IndexOf(orderId);
        if (i >= 0)
        {
            _times[i] = at;
            return;
        }
        _ids[Count] = orderId;
        _times[Count++] = at;
    }

    /// <summary>Empties this for a plan of up to <paramref name="capacity"/> orders.</summary>
    public void Reset(int capacity)
    {
        Count = 0;
        if (_ids.Length >= capacity) return;
        _ids = new Guid[capacity];
        _times = new DateTimeOffset[capacity];
    }

    /// <summary>The order set <paramref name="index"/>-th.</summary>
    public Guid KeyAt(int index) => _ids[index];

    /// <summary>A copy holding exactly these entries.</summary>
    public OrderTimes Copy()
    {
        var copy = new OrderTimes(Count);
        Array.Copy(_ids, copy._ids, Count);
        Array.Copy(_times, copy._times, Count);
        copy.Count = Count;
        return copy;
    }

    public DateTimeOffset this[Guid key] => IndexOf(key) is var i and >= 0 ? _times[i] : throw new KeyNotFoundException($"No time for order {key} in this plan.");

    public IEnumerable<Guid> Keys => new ArraySegment<Guid>(_ids, 0, Count);

    public IEnumerable<DateTimeOffset> Values => new ArraySegment<DateTimeOffset>(_times, 0, Count);

    public bool ContainsKey(Guid key) => IndexOf(key) >= 0;

    public bool TryGetValue(Guid key, out DateTimeOffset value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _times[i] : default;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<Guid, DateTimeOffset>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return new(_ids[i], _times[i]);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(Guid orderId)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_ids[i] == orderId) return i;
        }
        return -1;
    }
}
