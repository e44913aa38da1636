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
        var pickupAt = new Dictionary<Guid, DateTimeOffset>(orders.Count);
        var dropoffAt = new Dictionary<Guid, DateTimeOffset>(orders.Count);
        foreach (var o in orders)
        {
            if (o.PickedUpAt is { } at) pickupAt[o.OrderId] = at;
        }

        var here = start;
        var clock = startAt;
        var pending = orders.Where(o => o.PickedUpAt is null).ToList();
        while (pending.Count > 0)
        {
            var next = pending.MinBy(o => (GeoMath.DistanceMetres(here, o.Pickup), o.OrderId))!;
            pending.Remove(next);
            var samePlace = stops.Count > 0 && GeoMath.DistanceMetres(here, next.Pickup) < SamePlaceMetres;
            var arrive = samePlace ? stops[^1].ArriveAt : clock.AddSeconds(legSeconds(here, next.Pickup));
            var begin = next.ReadyAt is { } ready && ready > arrive ? ready : arrive;
            var leave = begin.AddSeconds(serviceSeconds);
            if (samePlace && stops[^1].LeaveAt > leave) leave = stops[^1].LeaveAt;
            if (samePlace)
            {
                // One visit: everything collected there leaves together.
                foreach (var s in stops.Where(s => s.IsPickup && s.ArriveAt == arrive)) pickupAt[s.OrderId] = leave;
                stops[^1] = stops[^1] with { LeaveAt = leave };
            }
            stops.Add(new PlannedStop(next.OrderId, true, next.Pickup, arrive, leave));
            pickupAt[next.OrderId] = leave;
            here = next.Pickup;
            clock = leave;
        }

        foreach (var group in new[] { orders.Where(o => o.IsFrozen).ToList(), orders.Where(o => !o.IsFrozen).ToList() })
        {
            if (group.Count == 0) continue;
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
                dropoffAt[o.OrderId] = arrive.AddSeconds(serviceSeconds / 2);
                here = o.Dropoff;
                clock = leave;
            }
        }
        return new TripPlan(stops, pickupAt, dropoffAt);
    }

    private static List<CarriedOrder> BestSequence(List<CarriedOrder> group, LatLon from, DateTimeOffset at, Func<LatLon, LatLon, double> legSeconds, double serviceSeconds)
    {
        var ordered = group.OrderBy(o => o.PromisedAt).ThenBy(o => o.OrderId).ToList();
        if (ordered.Count == 1 || ordered.Count > ExhaustiveLimit) return ordered;
        List<CarriedOrder> best = ordered;
        var bestScore = Score(ordered);
        foreach (var permutation in Permutations(ordered))
        {
            var score = Score(permutation);
            if (score.Late < bestScore.Late - 1e-9 || (Math.Abs(score.Late - bestScore.Late) <= 1e-9 && score.Finish < bestScore.Finish - 1e-9))
            {
                best = permutation;
                bestScore = score;
            }
        }
        return best;

        (double Late, double Finish) Score(List<CarriedOrder> sequence)
        {
            var here = from;
            var seconds = 0.0;
            var late = 0.0;
            foreach (var o in sequence)
            {
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
    }

    private static IEnumerable<List<CarriedOrder>> Permutations(List<CarriedOrder> items)
    {
        if (items.Count <= 1)
        {
            yield return [.. items];
            yield break;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var rest = new List<CarriedOrder>(items);
            rest.RemoveAt(i);
            foreach (var tail in Permutations(rest))
            {
                tail.Insert(0, items[i]);
                yield return tail;
            }
        }
    }
}
