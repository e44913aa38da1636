namespace Dispatch.Core.Simulation;

/// <summary>
/// Discrete-event simulation of an MDRP day on a virtual clock (whole minutes). At every decision moment the policy
/// sees the placed, unassigned orders, the idle on-duty couriers and when and where the busy ones will be free;
/// only idle couriers can be instructed. The simulator enforces the problem's rules on
/// each instruction (a violation is a policy bug and throws) and carries it out to the end, since couriers cannot
/// be diverted. Couriers never move on their own: they wait where their last drop-off left them.
/// </summary>
public static class MdrpSimulator
{
    public static MdrpSolution Run(MdrpInstance instance, IMdrpPolicy policy, int intervalMinutes)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalMinutes, 1);
        var couriers = instance.Couriers.Select(c => new CourierState(c.X, c.Y, "0", c.OnTime)).ToArray();
        var assigned = new bool[instance.Orders.Count];
        var unassignedCount = instance.Orders.Count;
        var executed = new List<MdrpExecutedAssignment>();
        if (instance.Orders.Count == 0 || instance.Couriers.Count == 0) return new MdrpSolution(instance, executed);

        var start = Math.Min(instance.Orders.Min(o => o.PlacementTime), instance.Couriers.Min(c => c.OnTime));
        var lastOff = instance.Couriers.Max(c => c.OffTime);
        // Decision moments every interval; after the last off time no pickup is possible, so the day is over.
        for (var now = start; now <= lastOff && unassignedCount > 0; now += intervalMinutes)
        {
            var open = new List<int>();
            for (var o = 0; o < instance.Orders.Count; o++)
                if (!assigned[o] && instance.Orders[o].PlacementTime <= now) open.Add(o);
            var idle = new List<MdrpIdleCourier>();
            var busy = new List<MdrpBusyCourier>();
            for (var c = 0; c < couriers.Length; c++)
            {
                var shift = instance.Couriers[c];
                if (shift.OnTime > now || now >= shift.OffTime) continue;
                if (couriers[c].FreeAt <= now) idle.Add(new MdrpIdleCourier(c, couriers[c].X, couriers[c].Y, couriers[c].Place));
                else busy.Add(new MdrpBusyCourier(c, couriers[c].X, couriers[c].Y, couriers[c].FreeAt));
            }
            if (open.Count == 0 || idle.Count == 0) continue;

            var idleSet = idle.Select(c => c.Courier).ToHashSet();
            foreach (var instruction in policy.Decide(new MdrpView(instance, now, open, idle, busy)))
            {
                var route = Check(instance, instruction, now, idleSet, assigned, couriers);
                var state = couriers[instruction.Courier];
                executed.Add(new MdrpExecutedAssignment(now, instruction.Courier, state.Place, route));
                idleSet.Remove(instruction.Courier);
                foreach (var o in route.Orders) assigned[o] = true;
                unassignedCount -= route.Orders.Count;
                var last = instance.Orders[route.Orders[^1]];
                couriers[instruction.Courier] = new CourierState(last.X, last.Y, last.Id, route.FreeAt);
            }
        }
        return new MdrpSolution(instance, executed);
    }

    private static MdrpRoute Check(MdrpInstance instance, MdrpInstruction instruction, int now, HashSet<int> idle, bool[] assigned, CourierState[] couriers)
    {
        if (!idle.Contains(instruction.Courier))
            throw new InvalidOperationException($"Policy bug at {now}: courier {instruction.Courier} is not idle and on duty.");
        if (instruction.Orders.Count == 0) throw new InvalidOperationException($"Policy bug at {now}: an instruction without orders.");
        if (instruction.Orders.Distinct().Count() != instruction.Orders.Count)
            throw new InvalidOperationException($"Policy bug at {now}: an order is listed twice in one instruction.");
        var restaurant = instance.Orders[instruction.Orders[0]].Restaurant;
        foreach (var o in instruction.Orders)
        {
            var order = instance.Orders[o];
            if (assigned[o]) throw new InvalidOperationException($"Policy bug at {now}: order {order.Id} is already assigned.");
            if (order.PlacementTime > now) throw new InvalidOperationException($"Policy bug at {now}: order {order.Id} is not placed yet.");
            if (order.Restaurant != restaurant) throw new InvalidOperationException($"Policy bug at {now}: a bundle spans two restaurants.");
        }
        var state = couriers[instruction.Courier];
        var route = MdrpRoute.Plan(instance, state.X, state.Y, now, instruction.Orders);
        if (route.PickupTime > instance.Couriers[instruction.Courier].OffTime)
            throw new InvalidOperationException($"Policy bug at {now}: courier {instance.Couriers[instruction.Courier].Id} would pick up after the off time.");
        return route;
    }

    private readonly record struct CourierState(double X, double Y, string Place, int FreeAt);
}
