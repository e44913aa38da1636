using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Tracking;

namespace Dispatch.Tests.Core;

public sealed class CustomerViewTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly LatLon Pickup = new(43.7396, 7.4276);
    private static readonly LatLon Dropoff = new(43.7309, 7.4197);
    private static readonly LatLon Courier = new(43.74213, 7.43017);
    private const string CourierId = "01a2b3c4d5e6f708192a3b4c5d6e7f80";

    private static TimelineEvent E(OrderStatus status, int minute, string? note = null) => new(status, T0.AddMinutes(minute), note);

    /// <summary>The events of an order that was offered twice (declined once, with a reason), accepted, picked up and delivered.</summary>
    private static readonly TimelineEvent[] Delivered =
    [
        E(OrderStatus.Placed, 0),
        E(OrderStatus.Paid, 1),
        E(OrderStatus.Dispatching, 1),
        E(OrderStatus.Offered, 1, $"courier {CourierId} at 188 m, ~75 s to pickup"),
        E(OrderStatus.Dispatching, 2, $"declined by courier {CourierId}: my ex lives there"),
        E(OrderStatus.Offered, 2, "courier 99aa at 320 m, ~120 s to pickup"),
        E(OrderStatus.Accepted, 3),
        E(OrderStatus.ArrivedAtPickup, 6),
        E(OrderStatus.PickedUp, 8),
        E(OrderStatus.InTransit, 9),
        E(OrderStatus.InTransit, 12, Milestones.ArrivingNote),
        E(OrderStatus.ArrivedAtDropoff, 13),
        E(OrderStatus.Delivered, 14),
        E(OrderStatus.Delivered, 20, "rated 4/5"),
    ];

    [Fact]
    public void The_timeline_has_customer_steps_and_wording_only()
    {
        var timeline = CustomerView.Timeline(Delivered);

        Assert.Equal(
            [CustomerStep.Placed, CustomerStep.Paid, CustomerStep.FindingCourier, CustomerStep.CourierAssigned, CustomerStep.AtPickup,
             CustomerStep.PickedUp, CustomerStep.OnTheWay, CustomerStep.Arriving, CustomerStep.AtDropoff, CustomerStep.Delivered, CustomerStep.Rated],
            timeline.Select(t => t.Step));
        Assert.Equal(T0.AddMinutes(1), timeline[2].At); // the first time a courier was looked for
        Assert.Equal("Courier on the way to the shop", timeline[3].Text);
        Assert.Equal("You rated the delivery 4 out of 5", timeline[^1].Text);
        Assert.All(timeline, t => Assert.DoesNotContain("courier ", t.Text, StringComparison.Ordinal));
    }

    public static TheoryData<OrderStatus, string, CustomerStep?, string> Notes => new()
    {
        // status of the event, its note, the step the customer sees (null: none), what they read
        { OrderStatus.Offered, $"courier {CourierId} at 188 m, ~75 s to pickup", CustomerStep.FindingCourier, "Finding a courier" },
        { OrderStatus.Dispatching, $"declined by courier {CourierId}: receipt printer broken", CustomerStep.FindingCourier, "Finding a courier" },
        { OrderStatus.Dispatching, $"offer to courier {CourierId} expired", CustomerStep.FindingCourier, "Finding a courier" },
        { OrderStatus.Accepted, $"reassigned by dispatcher from courier {CourierId} to Ann Lee: slow", CustomerStep.CourierAssigned, "Courier on the way to the shop" },
        { OrderStatus.Cancelled, "stop 1 of 2 done: customer is rude", CustomerStep.Cancelled, "Order cancelled" },
        { OrderStatus.Cancelled, "receipt fraud suspected", CustomerStep.Cancelled, "Order cancelled" },
        { OrderStatus.Failed, "courier crashed the scooter", CustomerStep.Failed, "Delivery failed" },
        { OrderStatus.PickedUp, "stop 2 of 3 done: Pressing Grimaldi", CustomerStep.StopDone, "Stop 2 of 3 done" },
        { OrderStatus.PickedUp, "receipt 31.20 over cap 25.00: waiting for the customer", CustomerStep.Receipt, "The receipt is over your cap and waits for your approval" },
        { OrderStatus.ArrivedAtPickup, "receipt 18.00 within cap 25.00: approved automatically", CustomerStep.Receipt, "Receipt within your cap: approved" },
        { OrderStatus.PickedUp, "receipt 31.20 approved by the customer (cap 25.00)", CustomerStep.Receipt, "You approved the receipt" },
        { OrderStatus.Placed, "anything at all", CustomerStep.Placed, "Order placed" },
    };

    [Theory]
    [MemberData(nameof(Notes))]
    public void Notes_only_tell_the_step_and_are_never_shown(OrderStatus status, string note, CustomerStep? step, string text)
    {
        var entry = Assert.Single(CustomerView.Timeline([E(status, 0, note)]));
        Assert.Equal(step, entry.Step);
        Assert.Equal(text, entry.Text);
    }

    [Fact]
    public void A_second_courier_is_told_as_a_takeover()
    {
        var timeline = CustomerView.Timeline([E(OrderStatus.Accepted, 0), E(OrderStatus.ArrivedAtPickup, 1), E(OrderStatus.Accepted, 2, "reassigned by dispatcher")]);
        Assert.Equal("Another courier took over and is on the way to the shop", timeline[^1].Text);
    }

    [Theory]
    [InlineData(OrderStatus.Accepted, true)]
    [InlineData(OrderStatus.ArrivedAtPickup, true)]
    [InlineData(OrderStatus.PickedUp, false)]
    [InlineData(OrderStatus.InTransit, false)]
    [InlineData(OrderStatus.ArrivedAtDropoff, false)]
    public void The_courier_is_on_the_coarse_grid_until_the_goods_are_carried(OrderStatus status, bool coarse)
    {
        var position = CustomerView.Position(Guid.NewGuid(), status, Courier, T0, 300);
        var shown = new LatLon(position.Lat, position.Lon);
        Assert.Equal(coarse, position.Coarse);
        Assert.Equal(coarse ? GeoMath.Coarsen(Courier, CustomerView.CoarseGridMetres) : Courier, shown);
        if (coarse) Assert.InRange(GeoMath.DistanceMetres(shown, Courier), 1, CustomerView.CoarseGridMetres);
    }

    [Theory]
    [InlineData(OrderStatus.Offered, OrderStatus.Dispatching)]
    [InlineData(OrderStatus.Dispatching, OrderStatus.Dispatching)]
    [InlineData(OrderStatus.Accepted, OrderStatus.Accepted)]
    [InlineData(OrderStatus.Delivered, OrderStatus.Delivered)]
    public void An_offer_is_still_finding_a_courier(OrderStatus status, OrderStatus told) => Assert.Equal(told, CustomerView.Status(status));

    private static RouteMessage RouteVia(params LatLon[] points) => new(Guid.NewGuid(), 1, [.. points.Select(p => new[] { p.Lat, p.Lon })],
        [new RouteLeg("pickup", 400, 60, T0.AddMinutes(1)), new RouteLeg("dropoff", 1200, 200, T0.AddMinutes(4))], T0);

    [Fact]
    public void The_route_starts_at_the_pickup_without_the_couriers_way_there()
    {
        var midway = GeoMath.Interpolate(Courier, Pickup, 0.5);
        var onward = GeoMath.Interpolate(Pickup, Dropoff, 0.5);
        var shown = CustomerView.Route(RouteVia(Courier, midway, Pickup, onward, Dropoff), Pickup);

        Assert.Equal([[Pickup.Lat, Pickup.Lon], [onward.Lat, onward.Lon], [Dropoff.Lat, Dropoff.Lon]], shown.Path);
        Assert.Equal(["dropoff"], shown.Legs.Select(l => l.To));
    }

    [Fact]
    public void A_route_through_the_pickup_twice_is_cut_at_the_first_visit()
    {
        var beyond = GeoMath.StepToward(Pickup, Dropoff, 100);
        var shown = CustomerView.Route(RouteVia(Courier, Pickup, beyond, Pickup, Dropoff), Pickup);
        Assert.Equal(4, shown.Path.Length);
    }

    [Fact]
    public void A_route_planned_while_carrying_is_shown_whole()
    {
        var route = new RouteMessage(Guid.NewGuid(), 2, [[Courier.Lat, Courier.Lon], [Dropoff.Lat, Dropoff.Lon]], [new RouteLeg("dropoff", 1500, 240, T0)], T0);
        Assert.Same(route, CustomerView.Route(route, Pickup));
    }

    [Fact]
    public void The_snapshot_shows_a_first_name_a_masked_phone_and_no_route_or_courier_before_one_is_assigned()
    {
        var order = new TrackedOrder(Guid.NewGuid(), "A-1", OrderStatus.Offered, Pickup, Dropoff, T0.AddHours(1));
        var waiting = CustomerView.Snapshot(order, Delivered[..4], null, RouteVia(Courier, Pickup, Dropoff));
        Assert.Equal(OrderStatus.Dispatching, waiting.Status);
        Assert.Null(waiting.Route);
        Assert.Null(waiting.Courier);

        var courier = new TrackedCourier("Maria Rossi Bianchi", "+377 6 12 34 55 70", Courier, T0, 420);
        var assigned = CustomerView.Snapshot(order with { Status = OrderStatus.Accepted }, Delivered[..7], courier, RouteVia(Courier, Pickup, Dropoff));
        Assert.Equal("Maria", assigned.CourierName);
        Assert.DoesNotContain("12 34", assigned.CourierPhoneMasked, StringComparison.Ordinal);
        Assert.True(assigned.Courier!.Coarse);
        Assert.Equal(420, assigned.Courier.EtaSeconds);
        Assert.Equal([Pickup.Lat, Pickup.Lon], assigned.Route!.Path[0]);
    }
}
