using System.Globalization;
using System.Text;

namespace Dispatch.Core.Simulation;

/// <summary>
/// The three solution files the MDRP evaluator reads, as text (the caller writes them). Space-separated, one
/// header line each, whole minutes; undelivered orders carry NA in their time and courier fields.
/// </summary>
public static class MdrpSolutionWriter
{
    public const string AssignmentsFile = "solution_info_assignments.txt";
    public const string OrdersFile = "solution_info_orders.txt";
    public const string CouriersFile = "solution_info_couriers.txt";

    /// <summary>assignment_time pickup_time courier order1 order2 … (orders in drop-off sequence).</summary>
    public static string Assignments(MdrpSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var text = new StringBuilder("assignment_time pickup_time courier orders\n");
        foreach (var a in solution.Assignments)
        {
            text.Append(Invariant(a.AssignmentTime)).Append(' ').Append(Invariant(a.Route.PickupTime)).Append(' ')
                .Append(solution.Instance.Couriers[a.Courier].Id);
            foreach (var o in a.Route.Orders) text.Append(' ').Append(solution.Instance.Orders[o].Id);
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>One row per order of the instance, in its order.</summary>
    public static string Orders(MdrpSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var instance = solution.Instance;
        var of = solution.AssignmentOfOrder();
        var text = new StringBuilder("order placement_time ready_time pickup_time dropoff_time courier\n");
        for (var o = 0; o < instance.Orders.Count; o++)
        {
            var order = instance.Orders[o];
            text.Append(order.Id).Append(' ').Append(Invariant(order.PlacementTime)).Append(' ').Append(Invariant(order.ReadyTime));
            if (of[o] is { } a)
            {
                var drop = a.Route.DropoffTimes[IndexOf(a.Route.Orders, o)];
                text.Append(' ').Append(Invariant(a.Route.PickupTime)).Append(' ').Append(Invariant(drop))
                    .Append(' ').Append(instance.Couriers[a.Courier].Id);
            }
            else
            {
                text.Append(" NA NA NA");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>courier departure_time origin destination, every move, grouped by courier in time order.</summary>
    public static string Couriers(MdrpSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var instance = solution.Instance;
        var text = new StringBuilder("courier departure_time origin destination\n");
        foreach (var group in solution.Assignments.GroupBy(a => a.Courier).OrderBy(g => g.Key))
        {
            var id = instance.Couriers[group.Key].Id;
            foreach (var a in group.OrderBy(a => a.AssignmentTime))
            {
                var restaurant = instance.Restaurants[instance.Orders[a.Route.Orders[0]].Restaurant].Id;
                Move(text, id, a.Route.Departure, a.Origin, restaurant);
                var place = restaurant;
                var leave = a.Route.PickupTime + instance.PickupAfter;
                for (var i = 0; i < a.Route.Orders.Count; i++)
                {
                    var orderId = instance.Orders[a.Route.Orders[i]].Id;
                    Move(text, id, leave, place, orderId);
                    place = orderId;
                    leave = a.Route.DropoffTimes[i] + instance.DropoffAfter;
                }
            }
        }
        return text.ToString();
    }

    private static void Move(StringBuilder text, string courier, int departure, string origin, string destination) =>
        text.Append(courier).Append(' ').Append(Invariant(departure)).Append(' ').Append(origin).Append(' ').Append(destination).Append('\n');

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value) return i;
        return -1;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
