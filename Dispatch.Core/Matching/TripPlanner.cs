using Dispatch.Core.Geo;

namespace Dispatch.Core.Matching;

/// <summary>
/// Plans a courier's trip over the orders they hold (and possibly one more): pending pickups first, nearest next, each
/// waiting until its goods are ready; then the drop-offs, frozen goods first, in the order that makes the fewest
/// seconds late (ties: the earliest finish). Up to <see cref="ExhaustiveLimit"/> drop-offs per group every order is
/// tried; beyond that, by promised time. A multi-stop errand's remaining stops (<see cref="CarriedOrder.Via"/>) are driven
/// just before its drop-off, each with its own service time. Pure: the legs come from a function, the clock from the caller.
/// </summary>
internal static class TripPlanner
{
    /// <summary>Drop-off groups up to this size are sequenced by trying every order (6! = 720).</summary>
    public const int ExhaustiveLimit = 6;

    /// <summary>Stops closer than this to the previous one are the same place: one service time covers both (a bundle).</summary>
    public const double SamePlaceMetres = 30;

    [ThreadStatic]
    private static TripWorkspace? t_workspace;

    /// <param name="start">The courier's position.</param>
    /// <param name="startAt">Now.</param>
    /// <param name="orders">The orders in the trip; those with <see cref="CarriedOrder.PickedUpAt"/> are on board.</param>
    /// <param name="legSeconds">Seconds to drive between two points.</param>
    /// <param name="serviceSeconds">Seconds spent at each stop.</param>
    public static TripPlan Plan(LatLon start, DateTimeOffset startAt, IReadOnlyList<CarriedOrder> orders, Func<LatLon, LatLon, double> legSeconds, double serviceSeconds)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(legSeconds);
        // This thread's workspace, taken while in use: a leg function that plans a trip itself gets a workspace of its own.
        var trip = t_workspace ?? new TripWorkspace();
        t_workspace = null;
        try
        {
            var list = trip.Orders(orders.Count);
            for (var i = 0; i < list.Length; i++) list[i] = orders[i];
            PlanInto(trip, start, startAt, list, new FuncLegSeconds(legSeconds), serviceSeconds);
            return trip.ToPlan();
        }
        finally
        {
            t_workspace = trip;
        }
    }

    /// <summary>
    /// Plans the trip into <paramref name="trip"/>, replacing the plan it held. <paramref name="orders"/> may be the
    /// workspace's own <see cref="TripWorkspace.Orders"/>.
    /// </summary>
    internal static void PlanInto<TLegs>(TripWorkspace trip, LatLon start, DateTimeOffset startAt, ReadOnlySpan<CarriedOrder> orders, TLegs legs, double serviceSeconds)
        where TLegs : struct, ILegSeconds
    {
        trip.Reset(orders.Length);
        foreach (var o in orders)
        {
            if (o.PickedUpAt is { } at) trip.PickupAt.Set(o.OrderId, at);
        }

        var here = start;
        var clock = startAt;
        // Loops over the workspace's arrays, not LINQ or lists: a batch round plans thousands of trips (a carrying
        // courier is a candidate for dozens of orders).
        var pending = trip.Pending;
        var pendingCount = 0;
        foreach (var o in orders)
        {
            if (o.PickedUpAt is null) pending[pendingCount++] = o;
        }
        while (pendingCount > 0)
        {
            var (nextIndex, metres) = NearestPickup(pending.AsSpan(0, pendingCount), here);
            var next = pending[nextIndex];
            Array.Copy(pending, nextIndex + 1, pending, nextIndex, --pendingCount - nextIndex);
            // The nearest pickup's distance, measured once: for "the same place" and for the leg.
            var samePlace = trip.StopCount > 0 && metres < SamePlaceMetres;
            var arrive = samePlace ? trip.Last.ArriveAt : clock.AddSeconds(legs.Seconds(here, next.Pickup, metres));
            var leave = HandedOverAndGone(arrive, next.ReadyAt, serviceSeconds);
            if (samePlace && trip.Last.LeaveAt > leave) leave = trip.Last.LeaveAt;
            if (samePlace)
            {
                // One visit: everything collected there leaves together.
                foreach (ref readonly var s in trip.Stops)
                {
                    if (s.IsPickup && s.ArriveAt == arrive) trip.PickupAt.Set(s.OrderId, leave);
                }
                trip.Last.LeaveAt = leave;
            }
            trip.Add(new TripWorkspace.Stop(next.OrderId, true, next.Pickup, arrive, leave));
            trip.PickupAt.Set(next.OrderId, leave);
            here = next.Pickup;
            clock = leave;
        }

        var frozenCount = 0;
        foreach (var o in orders)
        {
            if (o.IsFrozen) frozenCount++;
        }
        foreach (var frozen in (ReadOnlySpan<bool>)[true, false])
        {
            var size = frozen ? frozenCount : orders.Length - frozenCount;
            if (size == 0) continue;
            var group = trip.Group.AsSpan(0, size);
            var filled = 0;
            foreach (var o in orders)
            {
                if (o.IsFrozen == frozen) group[filled++] = o;
            }
            foreach (var o in BestSequence(trip, group, here, clock, legs, serviceSeconds))
            {
                if (o.Via is { } vias)
                {
                    for (var v = 0; v < vias.Count; v++)
                    {
                        var via = vias[v];
                        var reach = clock.AddSeconds(legs.Seconds(here, via));
                        trip.Add(new TripWorkspace.Stop(o.OrderId, false, via, reach, reach.AddSeconds(serviceSeconds), isVia: true));
                        here = via;
                        clock = trip.Last.LeaveAt;
                    }
                }
                var metres = GeoMath.DistanceMetres(here, o.Dropoff);
                var samePlace = trip.StopCount > 0 && !trip.Last.IsPickup && !trip.Last.IsVia && metres < SamePlaceMetres;
                var arrive = samePlace ? trip.Last.ArriveAt : clock.AddSeconds(legs.Seconds(here, o.Dropoff, metres));
                var leave = samePlace ? clock : arrive.AddSeconds(serviceSeconds);
                trip.Add(new TripWorkspace.Stop(o.OrderId, false, o.Dropoff, arrive, leave));
                trip.DropoffAt.Set(o.OrderId, arrive.AddSeconds(serviceSeconds / 2));
                here = o.Dropoff;
                clock = leave;
            }
        }
    }

    /// <summary>The pending pickup nearest to <paramref name="here"/> (ties: the smaller order id, then the first), and how far it is.</summary>
    private static (int Index, double Metres) NearestPickup(ReadOnlySpan<CarriedOrder> pending, LatLon here)
    {
        var best = 0;
        var bestMetres = GeoMath.DistanceMetres(here, pending[0].Pickup);
        for (var i = 1; i < pending.Length; i++)
        {
            var metres = GeoMath.DistanceMetres(here, pending[i].Pickup);
            if (metres < bestMetres || (metres == bestMetres && pending[i].OrderId.CompareTo(pending[best].OrderId) < 0))
            {
                (best, bestMetres) = (i, metres);
            }
        }
        return (best, bestMetres);
    }

    /// <summary>
    /// When a courier who reaches a pickup at <paramref name="arrive"/> leaves it with the goods: the first half of the stop's
    /// service (parking, walking in) overlaps any wait for the goods, the second half (hand-over, walking out) follows it.
    /// </summary>
    internal static DateTimeOffset HandedOverAndGone(DateTimeOffset arrive, DateTimeOffset? readyAt, double serviceSeconds)
    {
        var walkedIn = arrive.AddSeconds(serviceSeconds / 2);
        var handOver = readyAt is { } ready && ready > walkedIn ? ready : walkedIn;
        return handOver.AddSeconds(serviceSeconds / 2);
    }

    /// <summary>
    /// The drop-off sequence of a group: by promised time (ties: order id, then as given); up to <see cref="ExhaustiveLimit"/>
    /// orders, every permutation in lexicographic order of that sequence, the first with the fewest seconds late (then the
    /// earliest finish) kept. Sorts <paramref name="group"/> in place; permutations are spans of indices stepped in place,
    /// scored without building lists; the answer is <paramref name="group"/> or the workspace's sequence list.
    /// </summary>
    private static ReadOnlySpan<CarriedOrder> BestSequence<TLegs>(TripWorkspace trip, Span<CarriedOrder> group, LatLon from, DateTimeOffset at, TLegs legs, double serviceSeconds)
        where TLegs : struct, ILegSeconds
    {
        if (group.Length == 1) return group;
        // Insertion sort, stable (a courier holds a handful of orders): by promised time, then order id.
        for (var i = 1; i < group.Length; i++)
        {
            var item = group[i];
            var j = i - 1;
            for (; j >= 0 && Before(item, group[j]); j--) group[j + 1] = group[j];
            group[j + 1] = item;
        }
        if (group.Length > ExhaustiveLimit) return group;

        Span<int> permutation = stackalloc int[group.Length];
        Span<int> best = stackalloc int[group.Length];
        for (var i = 0; i < permutation.Length; i++) permutation[i] = best[i] = i;
        var bestScore = Score(group, permutation, from, at, legs, serviceSeconds);
        while (NextPermutation(permutation))
        {
            var score = Score(group, permutation, from, at, legs, serviceSeconds);
            if (score.Late < bestScore.Late - 1e-9 || (Math.Abs(score.Late - bestScore.Late) <= 1e-9 && score.Finish < bestScore.Finish - 1e-9))
            {
                permutation.CopyTo(best);
                bestScore = score;
            }
        }
        var sequence = trip.Sequence.AsSpan(0, group.Length);
        for (var i = 0; i < best.Length; i++) sequence[i] = group[best[i]];
        return sequence;
    }

    private static bool Before(CarriedOrder a, CarriedOrder b)
    {
        var byPromise = a.PromisedAt.CompareTo(b.PromisedAt);
        return byPromise != 0 ? byPromise < 0 : a.OrderId.CompareTo(b.OrderId) < 0;
    }

    /// <summary>Seconds late over the group and seconds to its last drop-off, driving it in <paramref name="sequence"/>'s order.</summary>
    private static (double Late, double Finish) Score<TLegs>(ReadOnlySpan<CarriedOrder> ordered, ReadOnlySpan<int> sequence, LatLon from, DateTimeOffset at, TLegs legs, double serviceSeconds)
        where TLegs : struct, ILegSeconds
    {
        var here = from;
        var seconds = 0.0;
        var late = 0.0;
        foreach (var index in sequence)
        {
            var o = ordered[index];
            if (o.Via is { } vias)
            {
                for (var v = 0; v < vias.Count; v++)
                {
                    seconds += legs.Seconds(here, vias[v]) + serviceSeconds;
                    here = vias[v];
                }
            }
            var metres = GeoMath.DistanceMetres(here, o.Dropoff);
            if (metres >= SamePlaceMetres || seconds == 0) seconds += legs.Seconds(here, o.Dropoff, metres) + serviceSeconds;
            late += Math.Max(0, (at.AddSeconds(seconds - (serviceSeconds / 2)) - o.PromisedAt).TotalSeconds);
            here = o.Dropoff;
        }
        return (late, seconds);
    }

    /// <summary>Steps <paramref name="items"/> to the next permutation in lexicographic order; false after the last.</summary>
    private static bool NextPermutation(Span<int> items)
    {
        var i = items.Length - 2;
        while (i >= 0 && items[i] >= items[i + 1]) i--;
        if (i < 0) return false;
        var j = items.Length - 1;
        while (items[j] <= items[i]) j--;
        (items[i], items[j]) = (items[j], items[i]);
        items[(i + 1)..].Reverse();
        return true;
    }
}
