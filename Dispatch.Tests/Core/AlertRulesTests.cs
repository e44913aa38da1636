using Dispatch.Core.Alerts;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class AlertRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertLimits Limits = AlertLimits.Default; // stale 60 s, unassigned 5 min, cold chain 30 min × 0.75, storms 3 / 3 in 15 min
    private static readonly Guid OrderA = Guid.Parse("0196f000-0000-7000-8000-00000000000a");
    private static readonly Guid CourierA = Guid.Parse("0196f000-0000-7000-8000-0000000000c1");
    private static readonly Guid CourierB = Guid.Parse("0196f000-0000-7000-8000-0000000000c2");

    private static OrderFacts Order(OrderStatus status, DateTimeOffset? promised = null, DateTimeOffset? ready = null, DateTimeOffset? pickedUp = null, bool cold = false, Guid? courier = null) =>
        new(OrderA, "D-000001", status, cold, promised ?? Now.AddMinutes(30), ready ?? Now.AddMinutes(-1), pickedUp, courier);

    private static IReadOnlyList<Alert> Evaluate(IEnumerable<OrderFacts>? orders = null, IEnumerable<CourierFacts>? couriers = null, IEnumerable<DeclineFact>? declines = null) =>
        AlertRules.Evaluate(new AlertInputs(Now, [.. orders ?? []], [.. couriers ?? []], [.. declines ?? []]), Limits);

    [Fact]
    public void Nothing_to_report_gives_no_alert()
    {
        Assert.Empty(Evaluate([Order(OrderStatus.Offered)], [new CourierFacts(CourierA, "Léa", Now.AddSeconds(-10), 0)]));
    }

    [Theory]
    [InlineData(60, false)]
    [InlineData(61, true)]
    public void A_courier_is_stale_only_past_the_limit(int silentSeconds, bool expected)
    {
        var alerts = Evaluate(couriers: [new CourierFacts(CourierA, "Léa", Now.AddSeconds(-silentSeconds), 0)]);
        Assert.Equal(expected, alerts.Any(a => a.Kind == AlertKind.StaleCourier));
    }

    [Fact]
    public void A_locked_pin_is_a_critical_alert_raised_when_it_locked()
    {
        var lockedAt = Now.AddMinutes(-2);
        var alert = Assert.Single(Evaluate([Order(OrderStatus.InTransit, courier: CourierA) with { PinLockedAt = lockedAt }]));
        Assert.Equal((AlertKind.PinLocked, AlertSeverity.Critical, lockedAt, $"pin-locked:{OrderA:N}", CourierA), (alert.Kind, alert.Severity, alert.RaisedAt, alert.Key, alert.CourierId));
        Assert.Empty(Evaluate([Order(OrderStatus.InTransit, courier: CourierA)]));
    }

    [Fact]
    public void A_stale_courier_with_orders_is_critical_and_raised_when_the_limit_passed()
    {
        var lastSeen = Now.AddSeconds(-200);
        var alert = Assert.Single(Evaluate(couriers: [new CourierFacts(CourierA, "Léa", lastSeen, 2)]));
        Assert.Equal(AlertKind.StaleCourier, alert.Kind);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Equal(lastSeen.AddSeconds(60), alert.RaisedAt);
        Assert.Equal(CourierA, alert.CourierId);
        Assert.Equal("Léa is silent", alert.Title);
        Assert.Contains("holding 2 orders", alert.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OrderStatus.Paid, 6, true)]
    [InlineData(OrderStatus.Dispatching, 6, true)]
    [InlineData(OrderStatus.Offered, 6, true)]
    [InlineData(OrderStatus.Offered, 4, false)]
    [InlineData(OrderStatus.Accepted, 60, false)]
    [InlineData(OrderStatus.Placed, 60, false)] // not paid: not the dispatcher's to assign yet
    public void An_order_waits_too_long_for_a_courier(OrderStatus status, int minutesSincePaid, bool expected)
    {
        var alerts = Evaluate([Order(status, ready: Now.AddMinutes(-minutesSincePaid))]);
        Assert.Equal(expected, alerts.Any(a => a.Kind == AlertKind.Unassigned && a.OrderId == OrderA));
    }

    [Theory]
    [InlineData(OrderStatus.InTransit, -1, true)]
    [InlineData(OrderStatus.Accepted, -1, true)]
    [InlineData(OrderStatus.InTransit, 1, false)]
    [InlineData(OrderStatus.Delivered, -1, false)]
    [InlineData(OrderStatus.Cancelled, -1, false)]
    public void An_undelivered_order_past_its_promise_is_late(OrderStatus status, int promisedInMinutes, bool expected)
    {
        var alerts = Evaluate([Order(status, promised: Now.AddMinutes(promisedInMinutes))]);
        var late = alerts.SingleOrDefault(a => a.Kind == AlertKind.Late);
        Assert.Equal(expected, late is not null);
        if (late is not null)
        {
            Assert.Equal(AlertSeverity.Critical, late.Severity);
            Assert.Equal(Now.AddMinutes(promisedInMinutes), late.RaisedAt);
        }
    }

    [Theory]
    [InlineData(true, OrderStatus.InTransit, 22, false)] // 22 of 30 min < 75 %
    [InlineData(true, OrderStatus.InTransit, 22.5, true)] // exactly 75 %
    [InlineData(true, OrderStatus.PickedUp, 25, true)]
    [InlineData(true, OrderStatus.ArrivedAtDropoff, 40, true)]
    [InlineData(false, OrderStatus.InTransit, 40, false)] // not frozen
    [InlineData(true, OrderStatus.Accepted, 40, false)] // not picked up: no clock running
    public void Frozen_goods_on_the_road_most_of_their_budget_are_at_risk(bool cold, OrderStatus status, double minutesSincePickup, bool expected)
    {
        var pickedUp = Now.AddMinutes(-minutesSincePickup);
        var alerts = Evaluate([Order(status, pickedUp: pickedUp, cold: cold, courier: CourierA)]);
        var risk = alerts.SingleOrDefault(a => a.Kind == AlertKind.ColdChainAtRisk);
        Assert.Equal(expected, risk is not null);
        if (risk is not null)
        {
            Assert.Equal(pickedUp.AddMinutes(22.5), risk.RaisedAt);
            Assert.Equal(CourierA, risk.CourierId);
        }
    }

    [Fact]
    public void An_order_declined_three_times_is_a_storm_raised_at_the_third_most_recent_decline()
    {
        DeclineFact[] declines = [new(OrderA, CourierA, Now.AddMinutes(-9)), new(OrderA, CourierB, Now.AddMinutes(-5)), new(OrderA, Guid.NewGuid(), Now.AddMinutes(-2))];
        Assert.DoesNotContain(Evaluate([Order(OrderStatus.Offered)], declines: declines[..2]), a => a.Kind == AlertKind.OrderDeclineStorm);
        var storm = Assert.Single(Evaluate([Order(OrderStatus.Offered)], declines: declines), a => a.Kind == AlertKind.OrderDeclineStorm);
        Assert.Equal(Now.AddMinutes(-9), storm.RaisedAt);
        Assert.Equal("D-000001 declined 3 times", storm.Title);
    }

    [Fact]
    public void A_courier_declining_three_offers_in_the_window_is_a_storm_and_older_declines_do_not_count()
    {
        var others = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        DeclineFact[] inWindow = [new(others[0], CourierA, Now.AddMinutes(-14)), new(others[1], CourierA, Now.AddMinutes(-6)), new(others[2], CourierA, Now.AddMinutes(-1))];
        var storm = Assert.Single(Evaluate(couriers: [new CourierFacts(CourierA, "Hugo", Now, 0)], declines: inWindow));
        Assert.Equal(AlertKind.CourierDeclineStorm, storm.Kind);
        Assert.Equal(CourierA, storm.CourierId);
        Assert.Equal(Now.AddMinutes(-14), storm.RaisedAt);
        Assert.Equal("Hugo declines everything", storm.Title);

        DeclineFact[] spread = [new(others[0], CourierA, Now.AddMinutes(-16)), inWindow[1], inWindow[2]];
        Assert.Empty(Evaluate(declines: spread));
    }

    [Fact]
    public void Alerts_come_newest_first()
    {
        var alerts = Evaluate(
            [Order(OrderStatus.Offered, promised: Now.AddMinutes(-3), ready: Now.AddMinutes(-20))], // late at -3 min, unassigned at -15 min
            [new CourierFacts(CourierA, null, Now.AddSeconds(-90), 0)]); // stale at -30 s
        Assert.Equal([AlertKind.StaleCourier, AlertKind.Late, AlertKind.Unassigned], alerts.Select(a => a.Kind));
        Assert.StartsWith("Courier 0196f000", alerts[0].Title, StringComparison.Ordinal);
    }

    [Fact]
    public void An_acknowledgement_hides_an_alert_until_a_new_episode()
    {
        var firstSilence = Now.AddSeconds(-120);
        var first = Assert.Single(Evaluate(couriers: [new CourierFacts(CourierA, "Léa", firstSilence, 0)]));
        var acks = new Dictionary<string, DateTimeOffset> { [first.Key] = Now };
        Assert.Empty(AlertRules.Unacknowledged([first], acks));

        // The courier came back, then went silent again later: the same key, raised after the acknowledgement.
        var again = Assert.Single(AlertRules.Evaluate(new AlertInputs(Now.AddMinutes(10), [], [new CourierFacts(CourierA, "Léa", Now.AddMinutes(8), 0)], []), Limits));
        Assert.Equal(first.Key, again.Key);
        Assert.Single(AlertRules.Unacknowledged([again], acks));

        // An acknowledgement from before the alert was raised does not hide it.
        Assert.Single(AlertRules.Unacknowledged([first], new Dictionary<string, DateTimeOffset> { [first.Key] = first.RaisedAt.AddSeconds(-1) }));
    }

    [Theory]
    [InlineData(45, "45 s")]
    [InlineData(125, "2 min")]
    [InlineData(3900, "1 h 05 min")]
    public void Durations_read_like_a_person_would_say_them(int seconds, string expected)
    {
        Assert.Equal(expected, AlertRules.Duration(TimeSpan.FromSeconds(seconds)));
    }
}
