using Dispatch.Core.Geo;

namespace Dispatch.Core.Matching;

/// <summary>
/// Where <see cref="TripPlanner"/> makes a plan: the stops, the per-order times and the planner's own lists, in arrays
/// that the next plan made here overwrites. A batch round plans a trip for every carrying candidate of every order (~7,500
/// a round); the ranker plans each into one workspace per thread and reads the answer before the next, so those plans
/// leave no garbage. <see cref="ToPlan"/> copies the answer out as a <see cref="TripPlan"/> that stays.
/// </summary>
internal sealed class TripWorkspace
{
    private Stop[] _stops = new Stop[8];
    private CarriedOrder[] _orders = new CarriedOrder[4];

    public int StopCount { get; private set; }

    public OrderTimes PickupAt { get; } = new(4);

    public OrderTimes DropoffAt { get; } = new(4);

    /// <summary>The stops of the plan made last, in order.</summary>
    public ReadOnlySpan<Stop> Stops => _stops.AsSpan(0, StopCount);

    /// <summary>The planner's working lists (pending pickups; one drop-off group sorted, then its best sequence).</summary>
    internal CarriedOrder[] Pending = new CarriedOrder[4];
    internal CarriedOrder[] Group = new CarriedOrder[4];
    internal CarriedOrder[] Sequence = new CarriedOrder[4];

    /// <summary>An order list of <paramref name="count"/> for the caller to fill and plan (the carried orders and the new one).</summary>
    public Span<CarriedOrder> Orders(int count)
    {
        if (_orders.Length < count) _orders = new CarriedOrder[Math.Max(count, _orders.Length * 2)];
        return _orders.AsSpan(0, count);
    }

    /// <summary>Empties the plan and sizes the working lists for <paramref name="orders"/> orders.</summary>
    internal void Reset(int orders)
    {
        StopCount = 0;
        PickupAt.Reset(orders);
        DropoffAt.Reset(orders);
        if (Pending.Length < orders)
        {
            var size = Math.Max(orders, Pending.Length * 2);
            (Pending, Group, Sequence) = (new CarriedOrder[size], new CarriedOrder[size], new CarriedOrder[size]);
        }
    }

    internal void Add(in Stop stop)
    {
        if (StopCount == _stops.Length) Array.Resize(ref _stops, _stops.Length * 2);
        _stops[StopCount++] = stop;
    }

    internal ref Stop Last => ref _stops[StopCount - 1];

    /// <summary>When the plan reaches the order's pickup.</summary>
    public DateTimeOffset PickupArrival(Guid orderId)
    {
        foreach (ref readonly var stop in Stops)
        {
            if (stop.IsPickup && stop.OrderId == orderId) return stop.ArriveAt;
        }
        throw new InvalidOperationException($"The trip plan has no pickup for order {orderId}.");
    }

    /// <summary>How long the goods of an order are on board: from leaving the pickup to the hand-over.</summary>
    public TimeSpan OnBoard(Guid orderId) => DropoffAt[orderId] - PickupAt[orderId];

    /// <summary>Stops still to make, consecutive stops at one place counted once.</summary>
    public int DistinctStops()
    {
        var stops = Stops;
        var count = 0;
        for (var i = 0; i < stops.Length; i++)
        {
            if (i == 0 || stops[i].At != stops[i - 1].At) count++;
        }
        return count;
    }

    /// <summary>The plan made last, copied out.</summary>
    public TripPlan ToPlan()
    {
        var stops = new PlannedStop[StopCount];
        for (var i = 0; i < stops.Length; i++)
        {
            var s = _stops[i];
            stops[i] = new PlannedStop(s.OrderId, s.IsPickup, s.At, s.ArriveAt, s.LeaveAt, s.IsVia);
        }
        return new TripPlan(stops, PickupAt.Copy(), DropoffAt.Copy());
    }

    /// <summary>A <see cref="PlannedStop"/> while the plan is being made.</summary>
    internal struct Stop(Guid orderId, bool isPickup, LatLon at, DateTimeOffset arriveAt, DateTimeOffset leaveAt, bool isVia = false)
    {
        public readonly Guid OrderId = orderId;
        public readonly bool IsPickup = isPickup;
        public readonly bool IsVia = isVia;
        public readonly LatLon At = at;
        public readonly DateTimeOffset ArriveAt = arriveAt;
        public DateTimeOffset LeaveAt = leaveAt;
    }
}
