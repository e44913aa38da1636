using Dispatch.Core.Errands;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class StopRulesTests
{
    private const string No = "D-000042";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 14, 5, 0, TimeSpan.Zero);

    private static ErrandStop Stop(string address, DateTimeOffset? doneAt = null, StopAction action = StopAction.Pickup, string? note = null) =>
        new(new LatLon(43.73, 7.42), address, action, note, doneAt);

    private static readonly ErrandStop[] Three = [Stop("Chez Gérard (keys)"), Stop("Pressing Grimaldi"), Stop("Boulangerie du Port", action: StopAction.Dropoff)];

    [Theory]
    [InlineData(OrderStatus.PickedUp)]
    [InlineData(OrderStatus.InTransit)]
    [InlineData(OrderStatus.ArrivedAtDropoff)]
    public void The_first_stop_can_be_done_once_the_goods_are_carried(OrderStatus status)
    {
        var d = StopRules.Complete(No, status, Three, 0, Now);

        Assert.True(d.IsAllowed);
        Assert.Null(d.Error);
        Assert.Equal(Now, d.After![0].DoneAt);
        Assert.Null(d.After[1].DoneAt);
        Assert.Null(d.After[2].DoneAt);
        Assert.Equal("stop 1 of 3 done: Chez Gérard (keys)", d.Note);
        Assert.Null(Three[0].DoneAt); // the input is not changed
    }

    [Fact]
    public void Stops_are_done_in_order_each_once_and_then_delivery_is_free()
    {
        IReadOnlyList<ErrandStop> stops = Three;
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains($"stop {i + 1} of 3", StopRules.BlocksDelivery(No, stops), StringComparison.Ordinal);
            var d = StopRules.Complete(No, OrderStatus.InTransit, stops, i, Now.AddMinutes(i));
            Assert.True(d.IsAllowed, d.Error);
            Assert.StartsWith(StopRules.NotePrefix, d.Note, StringComparison.Ordinal);
            stops = d.After!;
        }
        Assert.Equal([Now, Now.AddMinutes(1), Now.AddMinutes(2)], stops.Select(s => s.DoneAt!.Value));
        Assert.Null(StopRules.BlocksDelivery(No, stops));
        Assert.Null(StopRules.FirstOpen(stops));
        Assert.Empty(StopRules.Remaining(stops));
    }

    [Theory]
    [InlineData(OrderStatus.Placed)]
    [InlineData(OrderStatus.Paid)]
    [InlineData(OrderStatus.Dispatching)]
    [InlineData(OrderStatus.Offered)]
    [InlineData(OrderStatus.Accepted)]
    [InlineData(OrderStatus.ArrivedAtPickup)]
    public void No_stop_before_the_pickup(OrderStatus status)
    {
        var d = StopRules.Complete(No, status, Three, 0, Now);

        Assert.False(d.IsAllowed);
        Assert.Null(d.After);
        Assert.Equal($"Pick up order {No} first: its stops come after the pickup. The order is {status}.", d.Error);
    }

    [Theory]
    [InlineData(OrderStatus.Delivered)]
    [InlineData(OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Failed)]
    public void No_stop_once_the_order_is_over(OrderStatus status)
    {
        var d = StopRules.Complete(No, status, Three, 0, Now);

        Assert.Equal($"Order {No} is already {status}; its stops can no longer change.", d.Error);
    }

    [Fact]
    public void A_stop_cannot_be_done_before_the_one_before_it()
    {
        var skipFirst = StopRules.Complete(No, OrderStatus.InTransit, Three, 1, Now);
        Assert.Equal($"Do stop 1 of 3 (Chez Gérard (keys)) first: the stops of order {No} go in order.", skipFirst.Error);

        var firstDone = StopRules.Complete(No, OrderStatus.InTransit, Three, 0, Now).After!;
        var skipSecond = StopRules.Complete(No, OrderStatus.InTransit, firstDone, 2, Now);
        Assert.Equal($"Do stop 2 of 3 (Pressing Grimaldi) first: the stops of order {No} go in order.", skipSecond.Error);
    }

    [Fact]
    public void A_stop_is_done_only_once()
    {
        ErrandStop[] stops = [Stop("Chez Gérard (keys)", Now.AddMinutes(-3)), Stop("Pressing Grimaldi")];

        var d = StopRules.Complete(No, OrderStatus.InTransit, stops, 0, Now);

        Assert.Equal($"Stop 1 of 2 (Chez Gérard (keys)) of order {No} was already done at 14:02 UTC.", d.Error);
    }

    [Theory]
    [InlineData(-1, "there is no stop 0.")]
    [InlineData(3, "there is no stop 4.")]
    [InlineData(int.MaxValue, "there is no stop 2147483648.")]
    [InlineData(int.MinValue, "there is no stop -2147483647.")]
    public void A_stop_that_does_not_exist_is_refused(int index, string message)
    {
        var d = StopRules.Complete(No, OrderStatus.InTransit, Three, index, Now);

        Assert.Equal($"Order {No} has 3 stops; {message}", d.Error);
    }

    [Fact]
    public void An_order_without_stops_has_none_to_complete_and_nothing_blocks_its_delivery()
    {
        Assert.Equal($"Order {No} has no stops between pickup and drop-off; deliver it with the customer's PIN.",
            StopRules.Complete(No, OrderStatus.InTransit, [], 0, Now).Error);
        Assert.Equal($"Order {No} has 1 stop; there is no stop 2.", StopRules.Complete(No, OrderStatus.InTransit, [Stop("A")], 1, Now).Error);
        Assert.Null(StopRules.BlocksDelivery(No, []));
    }

    [Fact]
    public void Delivery_names_the_first_stop_still_to_do_and_how_many_more()
    {
        Assert.Equal($"Order {No} still has stop 1 of 3 (Chez Gérard (keys)) and 2 more after it to do; mark it done before delivering.",
            StopRules.BlocksDelivery(No, Three));
        ErrandStop[] lastOpen = [Stop("A", Now), Stop("B", Now), Stop("Boulangerie du Port")];
        Assert.Equal($"Order {No} still has stop 3 of 3 (Boulangerie du Port) to do; mark it done before delivering.", StopRules.BlocksDelivery(No, lastOpen));
    }

    [Fact]
    public void Remaining_stops_are_the_open_ones_in_order()
    {
        ErrandStop[] stops = [new(new LatLon(1, 1), "a", StopAction.Pickup, null, Now), new(new LatLon(2, 2), "b", StopAction.Dropoff, null), new(new LatLon(3, 3), "c", StopAction.Pickup, null)];

        Assert.Equal([new LatLon(2, 2), new LatLon(3, 3)], StopRules.Remaining(stops));
        Assert.Equal(1, StopRules.FirstOpen(stops));
    }

    [Fact]
    public void A_stop_is_called_by_its_address_else_its_note_else_its_position()
    {
        Assert.Equal("Pressing Grimaldi", Stop("Pressing Grimaldi", note: "ticket 41").Label);
        Assert.Equal("ticket 41", Stop(" ", note: "ticket 41").Label);
        Assert.Equal("43.73,7.42", Stop("").Label);
    }
}
