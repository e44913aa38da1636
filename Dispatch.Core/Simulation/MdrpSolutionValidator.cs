using System.Globalization;

namespace Dispatch.Core.Simulation;

/// <summary>
/// Checks written solution files against an instance, independently of how they were produced: each order
/// assigned at most once and not before it was placed, bundles from one restaurant picked up at or after every
/// ready time and no later than the courier's off time, the orders file consistent with the assignments, and
/// every courier's moves chained (each origin the previous destination, first origin 0), with travel times by
/// the rule and every pickup or drop-off moment strictly after arrival and no later than the next departure.
/// Returns the problems found; empty means valid.
/// </summary>
public static class MdrpSolutionValidator
{
    public static IReadOnlyList<string> Validate(MdrpInstance instance, string assignmentsText, string ordersText, string couriersText)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var problems = new List<string>();
        var orderIndex = Index(instance.Orders.Select(o => o.Id));
        var courierIndex = Index(instance.Couriers.Select(c => c.Id));
        var restaurantIndex = Index(instance.Restaurants.Select(r => r.Id));

        // Assignments: time, pickup, courier, orders in drop-off sequence.
        var assignments = new List<(int Time, int Pickup, int Courier, int[] Orders)>();
        var pickupOf = new Dictionary<int, (int Pickup, int Courier)>();
        foreach (var (line, f) in Lines(assignmentsText))
        {
            if (f.Length < 4 || !Int(f[0], out var time) || !Int(f[1], out var pickup) || !courierIndex.TryGetValue(f[2], out var c))
            {
                problems.Add($"assignments line {line}: expected time pickup courier orders…");
                continue;
            }
            var orders = new List<int>();
            foreach (var id in f[3..])
            {
                if (!orderIndex.TryGetValue(id, out var o)) problems.Add($"assignments line {line}: unknown order {id}");
                else if (!pickupOf.TryAdd(o, (pickup, c))) problems.Add($"order {id} is assigned more than once");
                else orders.Add(o);
            }
            if (orders.Count == 0) continue;
            var courier = instance.Couriers[c];
            if (time < courier.OnTime) problems.Add($"assignments line {line}: courier {courier.Id} assigned before on duty");
            if (pickup > courier.OffTime) problems.Add($"assignments line {line}: pickup at {pickup} after {courier.Id}'s off time {courier.OffTime}");
            foreach (var o in orders)
            {
                var order = instance.Orders[o];
                if (time < order.PlacementTime) problems.Add($"assignments line {line}: order {order.Id} assigned before it was placed");
                if (pickup < order.ReadyTime) problems.Add($"assignments line {line}: order {order.Id} picked up before it was ready");
                if (order.Restaurant != instance.Orders[orders[0]].Restaurant) problems.Add($"assignments line {line}: bundle spans restaurants");
            }
            assignments.Add((time, pickup, c, orders.ToArray()));
        }

        // Orders file: header naming the columns, one row per order, NA exactly for the unassigned ones.
        var dropoffOf = new Dictionary<int, int>();
        var rows = Lines(ordersText, out var header);
        var columns = header.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        string[] required = ["order", "placement_time", "ready_time", "pickup_time", "dropoff_time", "courier"];
        if (required.FirstOrDefault(r => !columns.ContainsKey(r)) is { } missing) return [.. problems, $"orders header lacks '{missing}'"];
        if (rows.Count != instance.Orders.Count) problems.Add($"orders file has {rows.Count} rows for {instance.Orders.Count} orders");
        foreach (var (line, f) in rows)
        {
            if (f.Length < header.Length || !orderIndex.TryGetValue(f[columns["order"]], out var o))
            {
                problems.Add($"orders line {line}: malformed or unknown order");
                continue;
            }
            string pickupText = f[columns["pickup_time"]], dropText = f[columns["dropoff_time"]], courierText = f[columns["courier"]];
            if (!pickupOf.TryGetValue(o, out var assigned))
            {
                if (pickupText != "NA" || dropText != "NA" || courierText != "NA") problems.Add($"orders line {line}: unassigned order without NA");
                continue;
            }
            if (!Int(pickupText, out var pickup) || !Int(dropText, out var drop)) problems.Add($"orders line {line}: times must be whole minutes");
            else if (pickup != assigned.Pickup || courierText != instance.Couriers[assigned.Courier].Id) problems.Add($"orders line {line}: disagrees with its assignment");
            else dropoffOf[o] = drop;
        }

        CheckMoves(instance, couriersText, assignments, dropoffOf, orderIndex, courierIndex, restaurantIndex, problems);
        return problems;
    }

    private static void CheckMoves(
        MdrpInstance instance,
        string couriersText,
        List<(int Time, int Pickup, int Courier, int[] Orders)> assignments,
        Dictionary<int, int> dropoffOf,
        Dictionary<string, int> orderIndex,
        Dictionary<string, int> courierIndex,
        Dictionary<string, int> restaurantIndex,
        List<string> problems)
    {
        var moves = new List<(int Line, int Courier, int Departure, string Origin, string Destination)>();
        foreach (var (line, f) in Lines(couriersText))
        {
            if (f.Length < 4 || !courierIndex.TryGetValue(f[0], out var c) || !Int(f[1], out var departure))
                problems.Add($"couriers line {line}: expected courier departure_time origin destination");
            else moves.Add((line, c, departure, f[2], f[3]));
        }
        var seen = new HashSet<int>();
        for (var start = 0; start < moves.Count;)
        {
            var c = moves[start].Courier;
            var end = start;
            while (end < moves.Count && moves[end].Courier == c) end++;
            if (!seen.Add(c)) problems.Add($"couriers: moves of {instance.Couriers[c].Id} are not grouped together");
            // Expected moves from this courier's assignments in time order: restaurant, then each order.
            var expected = new List<(int Time, int Pickup, string Destination, int Order)>();
            foreach (var a in assignments.Where(a => a.Courier == c).OrderBy(a => a.Time))
            {
                expected.Add((a.Time, a.Pickup, instance.Restaurants[instance.Orders[a.Orders[0]].Restaurant].Id, -1));
                foreach (var o in a.Orders) expected.Add((a.Time, a.Pickup, instance.Orders[o].Id, o));
            }
            if (expected.Count != end - start) problems.Add($"couriers: {instance.Couriers[c].Id} has {end - start} moves, its assignments need {expected.Count}");
            var place = "0";
            for (var i = start; i < end && i - start < expected.Count; i++)
            {
                var move = moves[i];
                var want = expected[i - start];
                var where = $"couriers line {move.Line}";
                if (move.Origin != place) problems.Add($"{where}: origin {move.Origin} is not the previous destination {place}");
                if (move.Destination != want.Destination) problems.Add($"{where}: goes to {move.Destination}, the assignment says {want.Destination}");
                if (move.Departure < want.Time) problems.Add($"{where}: departs before the assignment was made");
                var (fx, fy) = Position(instance, move.Origin, c, orderIndex, restaurantIndex);
                var (tx, ty) = Position(instance, move.Destination, c, orderIndex, restaurantIndex);
                var arrival = move.Departure + instance.TravelMinutes(fx, fy, tx, ty);
                int? next = i + 1 < end ? moves[i + 1].Departure : null;
                int moment;
                if (want.Order < 0) moment = want.Pickup;
                else if (!dropoffOf.TryGetValue(want.Order, out moment)) continue;
                else if (moment != arrival + instance.DropoffBefore) problems.Add($"{where}: drop-off at {moment}, arrival {arrival} plus service says {arrival + instance.DropoffBefore}");
                if (moment <= arrival) problems.Add($"{where}: pickup or drop-off at {moment} not strictly after arrival at {arrival}");
                if (want.Order < 0 && moment < arrival + instance.PickupBefore) problems.Add($"{where}: pickup before the service half after arrival");
                if (next is { } leave && moment > leave) problems.Add($"{where}: next departure {leave} before the pickup or drop-off at {moment}");
                place = move.Destination;
            }
            start = end;
        }
        foreach (var c in assignments.Select(a => a.Courier).Distinct())
            if (!seen.Contains(c)) problems.Add($"couriers: {instance.Couriers[c].Id} has assignments but no moves");
    }

    private static (double X, double Y) Position(MdrpInstance instance, string place, int courier, Dictionary<string, int> orders, Dictionary<string, int> restaurants)
    {
        if (place == "0") return (instance.Couriers[courier].X, instance.Couriers[courier].Y);
        if (orders.TryGetValue(place, out var o)) return (instance.Orders[o].X, instance.Orders[o].Y);
        return restaurants.TryGetValue(place, out var r) ? (instance.Restaurants[r].X, instance.Restaurants[r].Y) : (double.NaN, double.NaN);
    }

    private static Dictionary<string, int> Index(IEnumerable<string> ids) =>
        ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);

    private static List<(int Line, string[] Fields)> Lines(string text) => Lines(text, out _);

    private static List<(int Line, string[] Fields)> Lines(string text, out string[] header)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        header = lines[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return lines.Skip(1)
            .Select((l, i) => (Line: i + 2, Fields: l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .Where(x => x.Fields.Length > 0)
            .ToList();
    }

    private static bool Int(string text, out int value) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
