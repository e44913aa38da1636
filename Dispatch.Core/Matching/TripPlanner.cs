using Dispatch.Core.Geo;

namespace Dispatch.Core.Matching;

/// <summary>
/// Plans a courier's trip over the orders they hold (and possibly one more): pending pickups first, nearest next, each
/// waiting until its goods are ready; then the drop-offs, frozen goods first, in the order that makes the fewest
/// seconds late (ties: the earliest finish). Up to <see cref="ExhaustiveLimit"/> drop-offs per group every order is
/// tried; beyond that, by promised time. A multi-stop errand's remaining stops (<see cref="CarriedOrder.Via"/>) are driven
/// just before its drop-off, each with its own service time. Pure: the legs come from a function, the clock from the caller.
/// </summary>
public static class TripPlanner
{
    /// <summary>Drop-off groups up to this size are sequenced by trying every order (6! = 720).</summary>
    public const int ExhaustiveLimit = 6;

    /// <summary>Stops closer than this to the previous one are the same place: one service time covers both (a bundle).</summary>
    public const double SamePlaceMetres = 30;

    /// <param name="start">The courier's position.</param>
    /// <param name="startAt">Now.</param>
    /// <param name="orders">The orders in the trip; those with <see cref="CarriedOrder.PickedUpAt"/> are on board.</param>
    /// <param name="legSeconds">Seconds to drive between two points.</param>
    /// <param name="serviceSeconds">Seconds spent at each stop.</param>
    public static TripPlan Plan(LatLon start, DateTimeOffset startAt, IReadOnlyList<CarriedOrder> orders, Func<LatLon, LatLon, double> legSeconds, double serviceSeconds)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(legSeconds);
        var stops = new List<PlannedStop>(orders.Count * 2);
        var pickupAt = new OrderTimes(orders.Count);
        var dropoffAt = new OrderTimes(orders.Count);
        for (var i = 0; i < orders.Count; i++)
        {
            var o = orders[i];
            if (o.PickedUpAt is { } at) pickupAt.Set(o.OrderId, at);
        }

        var here = start;
        var clock = startAt;
        // Loops, not LINQ: a batch round plans thousands of trips (a carrying courier is a candidate for dozens of orders).
        var pending = new List<CarriedOrder>(orders.Count);
        for (var i = 0; i < orders.Count; i++)
        {
            var o = orders[i];
            if (o.PickedUpAt is null) pending.Add(o);
        }
        while (pending.Count > 0)
        {
            var nextIndex = NearestPickup(pending, here);
            var next = pending[nextIndex];
            pending.RemoveAt(nextIndex);
            var samePlace = stops.Count > 0 && GeoMath.DistanceMetres(here, next.Pickup) < SamePlaceMetres;
            var arrive = samePlace ? stops[^1].ArriveAt : clock.AddSeconds(legSeconds(here, next.Pickup));
            var begin = next.ReadyAt is { } ready && ready > arrive ? ready : arrive;
            var leave = begin.AddSeconds(serviceSeconds);
            if (samePlace && stops[^1].LeaveAt > leave) leave = stops[^1].LeaveAt;
            if (samePlace)
            {
                // One visit: everything collected there leaves together.
                foreach (var s in stops)
                {
                    if (s.IsPickup && s.ArriveAt == arrive) pickupAt.Set(s.OrderId, leave);
                }
                stops[^1] = stops[^1] with { LeaveAt = leave };
            }
            stops.Add(new PlannedStop(next.OrderId, true, next.Pickup, arrive, leave));
            pickupAt.Set(next.OrderId, leave);
            here = next.Pickup;
            clock = leave;
        }

        var frozenCount = 0;
        for (var i = 0; i < orders.Count; i++)
        {
            var o = orders[i];
            if (o.IsFrozen) frozenCount++;
        }
        foreach (var frozen in (ReadOnlySpan<bool>)[true, false])
        {
            var size = frozen ? frozenCount : orders.Count - frozenCount;
            if (size == 0) continue;
            var group = new CarriedOrder[size];
            var filled = 0;
            for (var i = 0; i < orders.Count; i++)
            {
                var o = orders[i];
                if (o.IsFrozen == frozen) group[filled++] = o;
            }
            var sequence = BestSequence(group, here, clock, legSeconds, serviceSeconds);
            foreach (var o in sequence)
            {
                foreach (var via in o.Via ?? [])
                {
                    var reach = clock.AddSeconds(legSeconds(here, via));
                    stops.Add(new PlannedStop(o.OrderId, false, via, reach, reach.AddSeconds(serviceSeconds), IsVia: true));
                    here = via;
                    clock = stops[^1].LeaveAt;
                }
                var samePlace = stops.Count > 0 && !stops[^1].IsPickup && !stops[^1].IsVia && GeoMath.DistanceMetres(here, o.Dropoff) < SamePlaceMetres;
                var arrive = samePlace ? stops[^1].ArriveAt : clock.AddSeconds(legSeconds(here, o.Dropoff));
                var leave = samePlace ? clock : arrive.AddSeconds(serviceSeconds);
                stops.Add(new PlannedStop(o.OrderId, false, o.Dropoff, arrive, leave));
                dropoffAt.Set(o.OrderId, arrive.AddSeconds(serviceSeconds / 2));
                here = o.Dropoff;
                clock = leave;
            }
        }
        return new TripPlan(stops, pickupAt, dropoffAt);
    }

    /// <summary>The pending pickup nearest to <paramref name="here"/> (ties: the smaller order id, then the first).</summary>
    private static int NearestPickup(List<CarriedOrder> pending, LatLon here)
    {
        var best = 0;
        var bestMetres = GeoMath.DistanceMetres(here, pending[0].Pickup);
        for (var i = 1; i < pending.Count; i++)
        {
            var metres = GeoMath.DistanceMetres(here, pending[i].Pickup);
            if (metres < bestMetres || (metres == bestMetres && pending[i].OrderId.CompareTo(pending[best].OrderId) < 0))
            {
                (best, bestMetres) = (i, metres);
            }
        }
        return best;
    }

    /// <summary>
    /// The drop-off sequence of a group: by promised time (ties: order id, then as given); up to <see cref="ExhaustiveLimit"/>
    /// orders, every permutation in lexicographic order of that sequence, the first with the fewest seconds late (then the
    /// earliest finish) kept. Permutations are spans of indices stepped in place, scored without building lists.
    /// </summary>
    private static CarriedOrder[] BestSequence(CarriedOrder[] group, LatLon from, DateTimeOffset at, Func<LatLon, LatLon, double> legSeconds, double serviceSeconds)
    {
        if (group.Length == 1) return group;
        // Insertion sort, stable (a courier holds a handful of orders): by promised time, then order id.
        var ordered = (CarriedOrder[])group.Clone();
        for (var i = 1; i < ordered.Length; i++)
        {
            var item = ordered[i];
            var j = i - 1;
            for (; j >= 0 && Before(item, ordered[j]); j--) ordered[j + 1] = ordered[j];
            ordered[j + 1] = item;
        }
        if (ordered.Length > ExhaustiveLimit) return ordered;

        Span<int> permutation = stackalloc int[ordered.Length];
        Span<int> best = stackalloc int[ordered.Length];
        for (var i = 0; i < permutation.Length; i++) permutation[i] = best[i] = i;
        var bestScore = Score(ordered, permutation, from, at, legSeconds, serviceSeconds);
        while (NextPermutation(permutation))
        {
            var score = Score(ordered, permutation, from, at, legSeconds, serviceSeconds);
            if (score.Late < bestScore.Late - 1e-9 || (Math.Abs(score.Late - bestScore.Late) <= 1e-9 && score.Finish < bestScore.Finish - 1e-9))
            {
                permutation.CopyTo(best);
                bestScore = score;
            }
        }
        var sequence = new CarriedOrder[ordered.Length];
        for (var i = 0; i < best.Length; i++) sequence[i] = ordered[best[i]];
        return sequence;
    }

    private static bool Before(CarriedOrder a, CarriedOrder b)
    {
        var byPromise = a.PromisedAt.CompareTo(b.PromisedAt);
        return byPromise != 0 ? byPromise < 0 : a.OrderId.CompareTo(b.OrderId) < 0;
    }

    /// <summary>Seconds late over the group and seconds to its last drop-off, driving it in <paramref name="sequence"/>'s order.</summary>
    private static (double Late, double Finish) Score(CarriedOrder[] ordered, ReadOnlySpan<int> sequence, LatLon from, DateTimeOffset at, Func<LatLon, LatLon, double> legSeconds, double serviceSeconds)
    {
        var here = from;
        var seconds = 0.0;
        var late = 0.0;
        foreach (var index in sequence)
        {
            var o = ordered[index];
            foreach (var via in o.Via ?? [])
            {
                seconds += legSeconds(here, via) + serviceSeconds;
                here = via;
            }
            if (GeoMath.DistanceMetres(here, o.Dropoff) >= SamePlaceMetres || seconds == 0) seconds += legSeconds(here, o.Dropoff) + serviceSeconds;
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
