namespace Dispatch.Core.Simulation;

/// <summary>
/// The timeline of one pickup-and-deliver instruction, by the problem's rules: leave at <see cref="Departure"/>,
/// arrive at the restaurant, pick up at max(arrival + half the pickup service, latest ready time), leave after
/// the other half, then for each drop-off arrive, drop off half the drop-off service later and leave after the
/// other half. Times are whole minutes.
/// </summary>
public sealed record MdrpRoute(
    int Departure,
    int RestaurantArrival,
    int PickupTime,
    IReadOnlyList<int> Orders,
    IReadOnlyList<int> DropoffArrivals,
    IReadOnlyList<int> DropoffTimes)
{
    /// <summary>When the courier leaves the last drop-off and can take a new instruction there.</summary>
    public int FreeAt { get; init; }

    /// <summary>Minutes spent driving or in service (not waiting for food): the utilisation numerator.</summary>
    public int BusyMinutes { get; init; }

    /// <summary>Plans the route for orders of one restaurant, delivered in the given sequence.</summary>
    public static MdrpRoute Plan(MdrpInstance instance, double fromX, double fromY, int departure, IReadOnlyList<int> orders)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(orders);
        if (orders.Count == 0) throw new ArgumentException("A route needs at least one order.", nameof(orders));
        var restaurant = instance.Restaurants[instance.Orders[orders[0]].Restaurant];
        var toRestaurant = instance.TravelMinutes(fromX, fromY, restaurant.X, restaurant.Y);
        var arrival = departure + toRestaurant;
        var ready = orders.Max(o => instance.Orders[o].ReadyTime);
        var pickup = Math.Max(arrival + instance.PickupBefore, ready);
        var busy = toRestaurant + instance.Parameters.PickupServiceMinutes;

        var leave = pickup + instance.PickupAfter;
        double x = restaurant.X, y = restaurant.Y;
        var arrivals = new int[orders.Count];
        var drops = new int[orders.Count];
        for (var i = 0; i < orders.Count; i++)
        {
            var order = instance.Orders[orders[i]];
            var leg = instance.TravelMinutes(x, y, order.X, order.Y);
            arrivals[i] = leave + leg;
            drops[i] = arrivals[i] + instance.DropoffBefore;
            leave = drops[i] + instance.DropoffAfter;
            busy += leg + instance.Parameters.DropoffServiceMinutes;
            (x, y) = (order.X, order.Y);
        }
        return new MdrpRoute(departure, arrival, pickup, orders.ToArray(), arrivals, drops) { FreeAt = leave, BusyMinutes = busy };
    }

    /// <summary>
    /// The drop-off sequence with the least total click-to-door (ties: the earliest finish): every permutation up
    /// to five orders, nearest-neighbour beyond.
    /// </summary>
    public static MdrpRoute PlanBest(MdrpInstance instance, double fromX, double fromY, int departure, IReadOnlyList<int> orders)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(orders);
        if (orders.Count <= 1) return Plan(instance, fromX, fromY, departure, orders);
        if (orders.Count > 5) return Plan(instance, fromX, fromY, departure, NearestNeighbour(instance, orders));
        MdrpRoute? best = null;
        long bestScore = long.MaxValue;
        foreach (var sequence in Permutations(orders.ToArray(), 0))
        {
            var route = Plan(instance, fromX, fromY, departure, sequence);
            var score = (route.DropoffTimes.Sum(t => (long)t) * 10_000) + route.FreeAt;
            if (score < bestScore) (best, bestScore) = (route, score);
        }
        return best!;
    }

    private static IEnumerable<int[]> Permutations(int[] items, int from)
    {
        if (from == items.Length - 1)
        {
            yield return (int[])items.Clone();
            yield break;
        }
        for (var i = from; i < items.Length; i++)
        {
            (items[from], items[i]) = (items[i], items[from]);
            foreach (var p in Permutations(items, from + 1)) yield return p;
            (items[from], items[i]) = (items[i], items[from]);
        }
    }

    private static int[] NearestNeighbour(MdrpInstance instance, IReadOnlyList<int> orders)
    {
        var left = orders.ToList();
        var restaurant = instance.Restaurants[instance.Orders[orders[0]].Restaurant];
        double x = restaurant.X, y = restaurant.Y;
        var sequence = new List<int>();
        while (left.Count > 0)
        {
            var next = left.MinBy(o => instance.TravelMinutes(x, y, instance.Orders[o].X, instance.Orders[o].Y));
            left.Remove(next);
            sequence.Add(next);
            (x, y) = (instance.Orders[next].X, instance.Orders[next].Y);
        }
        return sequence.ToArray();
    }
}
