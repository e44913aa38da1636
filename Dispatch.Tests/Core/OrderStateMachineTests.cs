using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class OrderStateMachineTests
{
    // The lifecycle written out by hand, independently of the table inside OrderStateMachine.
    private static readonly Dictionary<(OrderStatus, OrderTrigger), OrderStatus> Expected = new()
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
        // Cancel only before the goods are picked up.
        [(OrderStatus.Placed, OrderTrigger.Cancel)] = OrderStatus.Cancelled,
        [(OrderStatus.Paid, OrderTrigger.Cancel)] = OrderStatus.Cancelled,
        [(OrderStatus.Dispatching, OrderTrigger.Cancel)] = OrderStatus.Cancelled,
        [(OrderStatus.Offered, OrderTrigger.Cancel)] = OrderStatus.Cancelled,
        [(OrderStatus.Accepted, OrderTrigger.Cancel)] = OrderStatus.Cancelled,
        [(OrderStatus.ArrivedAtPickup, OrderTrigger.Cancel)] = OrderStatus.Cancelled,
        // Fail only once the courier carries the goods; before that, cancel.
        [(OrderStatus.PickedUp, OrderTrigger.Fail)] = OrderStatus.Failed,
        [(OrderStatus.InTransit, OrderTrigger.Fail)] = OrderStatus.Failed,
        [(OrderStatus.ArrivedAtDropoff, OrderTrigger.Fail)] = OrderStatus.Failed,
        // A dispatcher assigns a paid order, or reassigns it while the goods are still at the pickup.
        [(OrderStatus.Paid, OrderTrigger.Assign)] = OrderStatus.Accepted,
        [(OrderStatus.Dispatching, OrderTrigger.Assign)] = OrderStatus.Accepted,
        [(OrderStatus.Offered, OrderTrigger.Assign)] = OrderStatus.Accepted,
        [(OrderStatus.Accepted, OrderTrigger.Assign)] = OrderStatus.Accepted,
        [(OrderStatus.ArrivedAtPickup, OrderTrigger.Assign)] = OrderStatus.Accepted,
        [(OrderStatus.Accepted, OrderTrigger.Abandon)] = OrderStatus.Dispatching,
        [(OrderStatus.ArrivedAtPickup, OrderTrigger.Abandon)] = OrderStatus.Dispatching,
    };

    public static TheoryData<OrderStatus, OrderTrigger, OrderStatus> LegalCases()
    {
        var data = new TheoryData<OrderStatus, OrderTrigger, OrderStatus>();
        foreach (var ((from, trigger), to) in Expected) data.Add(from, trigger, to);
        return data;
    }

    public static TheoryData<OrderStatus, OrderTrigger> IllegalCases()
    {
        var data = new TheoryData<OrderStatus, OrderTrigger>();
        foreach (var from in Enum.GetValues<OrderStatus>())
        {
            foreach (var trigger in Enum.GetValues<OrderTrigger>())
            {
                if (!Expected.ContainsKey((from, trigger))) data.Add(from, trigger);
            }
        }
        return data;
    }

    public static TheoryData<OrderStatus, OrderTrigger> TerminalCases()
    {
        var data = new TheoryData<OrderStatus, OrderTrigger>();
        foreach (var from in new[] { OrderStatus.Delivered, OrderStatus.Cancelled, OrderStatus.Failed })
        {
            foreach (var trigger in Enum.GetValues<OrderTrigger>()) data.Add(from, trigger);
        }
        return data;
    }

    [Fact]
    public void LegalTransitions_is_exactly_the_documented_lifecycle()
    {
        var actual = OrderStateMachine.LegalTransitions.ToDictionary(t => (t.From, t.Trigger), t => t.To);

        Assert.Equal(Expected.Count, actual.Count);
        Assert.All(Expected, kv => Assert.Equal(kv.Value, actual[kv.Key]));
    }

    [Theory]
    [MemberData(nameof(LegalCases))]
    public void Legal_transition_moves_to_the_expected_status(OrderStatus from, OrderTrigger trigger, OrderStatus to)
    {
        var result = OrderStateMachine.Apply(from, trigger);

        Assert.True(result.IsAllowed);
        Assert.Equal(to, result.To);
        Assert.Null(result.Error);
        Assert.Equal(from, result.From);
        Assert.Equal(trigger, result.Trigger);
    }

    [Fact]
    public void Every_table_entry_from_LegalTransitions_is_applied_as_listed()
    {
        Assert.All(OrderStateMachine.LegalTransitions, t => Assert.Equal(t.To, OrderStateMachine.Apply(t.From, t.Trigger).To));
    }

    [Theory]
    [MemberData(nameof(IllegalCases))]
    public void Illegal_transition_is_refused_with_a_message(OrderStatus from, OrderTrigger trigger)
    {
        var result = OrderStateMachine.Apply(from, trigger);

        Assert.False(result.IsAllowed);
        Assert.Null(result.To);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        Assert.Equal(from, result.From);
        Assert.Equal(trigger, result.Trigger);
    }

    [Fact]
    public void Illegal_cases_cover_every_pair_outside_the_table()
    {
        var statuses = Enum.GetValues<OrderStatus>().Length;
        var triggers = Enum.GetValues<OrderTrigger>().Length;

        Assert.Equal(12, statuses);
        Assert.Equal(14, triggers);
        Assert.Equal(statuses * triggers - Expected.Count, IllegalCases().Count);
    }

    [Theory]
    [MemberData(nameof(TerminalCases))]
    public void Terminal_status_refuses_every_trigger_and_says_so(OrderStatus from, OrderTrigger trigger)
    {
        var result = OrderStateMachine.Apply(from, trigger);

        Assert.False(result.IsAllowed);
        Assert.Contains($"already {from}", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OrderStatus.Accepted, OrderTrigger.PickUp, "ArrivedAtPickup")]
    [InlineData(OrderStatus.Offered, OrderTrigger.PickUp, "ArrivedAtPickup")]
    [InlineData(OrderStatus.Accepted, OrderTrigger.Accept, "already been accepted")]
    [InlineData(OrderStatus.InTransit, OrderTrigger.Accept, "already been accepted")]
    [InlineData(OrderStatus.Dispatching, OrderTrigger.Accept, "no open offer")]
    [InlineData(OrderStatus.Paid, OrderTrigger.Pay, "Only a Placed order can be paid")]
    [InlineData(OrderStatus.Offered, OrderTrigger.ArriveAtPickup, "needs an Accepted order")]
    [InlineData(OrderStatus.Accepted, OrderTrigger.Deliver, "picked up first")]
    [InlineData(OrderStatus.PickedUp, OrderTrigger.Cancel, "mark it failed instead")]
    [InlineData(OrderStatus.Dispatching, OrderTrigger.Fail, "cancel it instead")]
    [InlineData(OrderStatus.ArrivedAtPickup, OrderTrigger.Fail, "whose goods were picked up can be marked failed; this one is ArrivedAtPickup, cancel it instead")]
    [InlineData(OrderStatus.Accepted, OrderTrigger.StartTransit, "cannot go in transit")]
    [InlineData(OrderStatus.Delivered, OrderTrigger.Cancel, "already Delivered; it cannot be cancelled")]
    [InlineData(OrderStatus.Cancelled, OrderTrigger.Pay, "already Cancelled; it cannot be paid")]
    [InlineData(OrderStatus.Placed, OrderTrigger.Assign, "not paid yet")]
    [InlineData(OrderStatus.PickedUp, OrderTrigger.Assign, "already has the goods (PickedUp)")]
    [InlineData(OrderStatus.Delivered, OrderTrigger.Assign, "already Delivered; it cannot be assigned to a courier")]
    [InlineData(OrderStatus.PickedUp, OrderTrigger.Abandon, "already has the goods (PickedUp)")]
    [InlineData(OrderStatus.Offered, OrderTrigger.Abandon, "before pickup can go back to dispatching; this one is Offered")]
    public void Refusal_message_tells_what_is_needed(OrderStatus from, OrderTrigger trigger, string expected)
    {
        var result = OrderStateMachine.Apply(from, trigger);

        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_message_names_the_current_status()
    {
        var result = OrderStateMachine.Apply(OrderStatus.Dispatching, OrderTrigger.PickUp);

        Assert.Contains("Dispatching", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Happy_path_walks_from_placed_to_delivered()
    {
        OrderTrigger[] steps =
        [
            OrderTrigger.Pay, OrderTrigger.StartDispatch, OrderTrigger.Offer, OrderTrigger.OffersExhausted,
            OrderTrigger.Offer, OrderTrigger.Accept, OrderTrigger.ArriveAtPickup, OrderTrigger.PickUp,
            OrderTrigger.StartTransit, OrderTrigger.ArriveAtDropoff, OrderTrigger.Deliver,
        ];
        var status = OrderStatus.Placed;
        foreach (var step in steps)
        {
            var result = OrderStateMachine.Apply(status, step);
            Assert.True(result.IsAllowed, result.Error);
            status = result.To!.Value;
        }

        Assert.Equal(OrderStatus.Delivered, status);
    }

    public static TheoryData<OrderStatus, bool, bool, bool> Predicates() => new()
    {
        // status, assigned, carrying, terminal
        { OrderStatus.Placed, false, false, false },
        { OrderStatus.Paid, false, false, false },
        { OrderStatus.Dispatching, false, false, false },
        { OrderStatus.Offered, false, false, false },
        { OrderStatus.Accepted, true, false, false },
        { OrderStatus.ArrivedAtPickup, true, false, false },
        { OrderStatus.PickedUp, true, true, false },
        { OrderStatus.InTransit, true, true, false },
        { OrderStatus.ArrivedAtDropoff, true, true, false },
        { OrderStatus.Delivered, false, false, true },
        { OrderStatus.Cancelled, false, false, true },
        { OrderStatus.Failed, false, false, true },
    };

    [Theory]
    [MemberData(nameof(Predicates))]
    public void Status_predicates_match_the_table(OrderStatus status, bool assigned, bool carrying, bool terminal)
    {
        Assert.Equal(assigned, OrderStateMachine.IsAssigned(status));
        Assert.Equal(carrying, OrderStateMachine.IsCarrying(status));
        Assert.Equal(terminal, OrderStateMachine.IsTerminal(status));
    }

    [Fact]
    public void Predicate_table_covers_every_status()
    {
        var covered = Predicates().Select(row => row.Data.Item1).ToHashSet();

        Assert.Equal(Enum.GetValues<OrderStatus>().ToHashSet(), covered);
    }
}
