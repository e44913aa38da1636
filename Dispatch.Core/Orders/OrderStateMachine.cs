using System.Collections.Frozen;

namespace Dispatch.Core.Orders;

/// <summary>
/// The order lifecycle: Placed → Paid → Dispatching → Offered → Accepted → ArrivedAtPickup → PickedUp →
/// InTransit → ArrivedAtDropoff → Delivered, with Cancelled (before pickup) and Failed (after pickup).
/// Illegal transitions come back as values with a message a person can act on.
/// </summary>
public static class OrderStateMachine
{
    private static readonly FrozenDictionary<(OrderStatus, OrderTrigger), OrderStatus> Table = BuildTable();

    public static Transition Apply(OrderStatus from, OrderTrigger trigger) =>
        Table.TryGetValue((from, trigger), out var to)
            ? new Transition(from, trigger, to, null)
            : new Transition(from, trigger, null, Explain(from, trigger));

    public static bool IsTerminal(OrderStatus status) =>
        status is OrderStatus.Delivered or OrderStatus.Cancelled or OrderStatus.Failed;

    /// <summary>True while a courier is committed to the order (accepted and not yet finished).</summary>
    public static bool IsAssigned(OrderStatus status) =>
        status is OrderStatus.Accepted or OrderStatus.ArrivedAtPickup or OrderStatus.PickedUp
            or OrderStatus.InTransit or OrderStatus.ArrivedAtDropoff;

    /// <summary>True once the courier carries the goods.</summary>
    public static bool IsCarrying(OrderStatus status) =>
        status is OrderStatus.PickedUp or OrderStatus.InTransit or OrderStatus.ArrivedAtDropoff;

    /// <summary>Every legal (from, trigger, to) triple; the tests walk it.</summary>
    public static IEnumerable<(OrderStatus From, OrderTrigger Trigger, OrderStatus To)> LegalTransitions =>
        Table.Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value));

    private static FrozenDictionary<(OrderStatus, OrderTrigger), OrderStatus> BuildTable()
    {
        var t = new Dictionary<(OrderStatus, OrderTrigger), OrderStatus>
        {
            [(OrderStatus.Placed, OrderTrigger.Pay)] = OrderStatus.Paid,
            [(OrderStatus.Paid, OrderTrigger.StartDispatch)] = OrderStatus.Dispatching,
            [(OrderStatus.Dispatching, OrderTrigger.Offer)] = OrderStatus.Offered,
            [(OrderStatus.Offered, OrderTrigger.OffersExhausted)] = OrderStatus.Dispatching,
            [(OrderStatus.Offered, OrderTrigger.Accept)] = OrderStatus.Accepted,
            [(OrderStatus.Accepted, OrderTrigger.ArriveAtPickup)] = OrderStatus.ArrivedAtPickup,
            [(OrderStatus.ArrivedAtPickup, OrderTrigger.PickUp)] = OrderStatus.PickedUp,
            [(OrderStatus.PickedUp, OrderTrigger.StartTransit)] = OrderStatus.InTransit,
            [(OrderStatus.PickedUp, OrderTrigger.ArriveAtDropoff)] = OrderStatus.ArrivedAtDropoff,
            [(OrderStatus.InTransit, OrderTrigger.ArriveAtDropoff)] = OrderStatus.ArrivedAtDropoff,
            [(OrderStatus.PickedUp, OrderTrigger.Deliver)] = OrderStatus.Delivered,
            [(OrderStatus.InTransit, OrderTrigger.Deliver)] = OrderStatus.Delivered,
            [(OrderStatus.ArrivedAtDropoff, OrderTrigger.Deliver)] = OrderStatus.Delivered,
        };
        foreach (var s in new[] { OrderStatus.Placed, OrderStatus.Paid, OrderStatus.Dispatching, OrderStatus.Offered, OrderStatus.Accepted, OrderStatus.ArrivedAtPickup })
        {
            t[(s, OrderTrigger.Cancel)] = OrderStatus.Cancelled;
        }
        // Failed only once the goods are carried: before that the order can still be cancelled, which says more.
        foreach (var s in new[] { OrderStatus.PickedUp, OrderStatus.InTransit, OrderStatus.ArrivedAtDropoff })
        {
            t[(s, OrderTrigger.Fail)] = OrderStatus.Failed;
        }
        // A dispatcher may hand a paid order to a courier, or move it to another one while the goods are still at the pickup.
        // The new courier starts from Accepted (they still have to get to the pickup).
        foreach (var s in new[] { OrderStatus.Paid, OrderStatus.Dispatching, OrderStatus.Offered, OrderStatus.Accepted, OrderStatus.ArrivedAtPickup })
        {
            t[(s, OrderTrigger.Assign)] = OrderStatus.Accepted;
        }
        // Before pickup an order whose courier vanished is dispatched again; after pickup the goods are with them: a dispatcher decides.
        t[(OrderStatus.Accepted, OrderTrigger.Abandon)] = OrderStatus.Dispatching;
        t[(OrderStatus.ArrivedAtPickup, OrderTrigger.Abandon)] = OrderStatus.Dispatching;
        return t.ToFrozenDictionary();
    }

    private static string Explain(OrderStatus from, OrderTrigger trigger)
    {
        if (IsTerminal(from)) return $"The order is already {from}; it cannot {Verb(trigger)}.";
        return trigger switch
        {
            OrderTrigger.Pay => $"Only a Placed order can be paid; this one is {from}.",
            OrderTrigger.Accept => from == OrderStatus.Accepted || IsAssigned(from)
                ? "The order has already been accepted by a courier."
                : $"The order is {from}; there is no open offer to accept.",
            OrderTrigger.ArriveAtPickup => $"Arrival at pickup needs an Accepted order; this one is {from}.",
            OrderTrigger.PickUp => $"Pickup needs the courier at the pickup first (ArrivedAtPickup); this order is {from}.",
            OrderTrigger.Deliver => $"Delivery needs the goods picked up first; this order is {from}.",
            OrderTrigger.Cancel => $"An order that is {from} can no longer be cancelled; mark it failed instead.",
            OrderTrigger.Fail => $"Only an order whose goods were picked up can be marked failed; this one is {from}, cancel it instead.",
            OrderTrigger.Assign => from == OrderStatus.Placed
                ? "The order is not paid yet; it can be assigned once the payment arrives."
                : $"The courier already has the goods ({from}); it can no longer move to another courier. Let them deliver it or mark it failed.",
            OrderTrigger.Abandon => IsCarrying(from)
                ? $"The courier already has the goods ({from}); the order cannot go back to dispatching. Reach the courier or mark it failed."
                : $"Only an order a courier holds before pickup can go back to dispatching; this one is {from}.",
            _ => $"An order that is {from} cannot {Verb(trigger)}.",
        };
    }

    private static string Verb(OrderTrigger trigger) => trigger switch
    {
        OrderTrigger.Pay => "be paid",
        OrderTrigger.StartDispatch => "start dispatch",
        OrderTrigger.Offer => "be offered",
        OrderTrigger.OffersExhausted => "return to dispatching",
        OrderTrigger.Accept => "be accepted",
        OrderTrigger.ArriveAtPickup => "record arrival at pickup",
        OrderTrigger.PickUp => "be picked up",
        OrderTrigger.StartTransit => "go in transit",
        OrderTrigger.ArriveAtDropoff => "record arrival at drop-off",
        OrderTrigger.Deliver => "be delivered",
        OrderTrigger.Cancel => "be cancelled",
        OrderTrigger.Fail => "be failed",
        OrderTrigger.Assign => "be assigned to a courier",
        OrderTrigger.Abandon => "go back to dispatching",
        _ => trigger.ToString(),
    };
}
