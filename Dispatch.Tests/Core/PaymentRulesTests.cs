using Dispatch.Core.Alerts;
using Dispatch.Core.Orders;
using Dispatch.Core.Payments;

namespace Dispatch.Tests.Core;

/// <summary>The pure payment decisions: matching a notification to the price, refund amounts, the state after a refund, and the board's alert.</summary>
public sealed class PaymentRulesTests
{
    [Theory]
    [InlineData(650, "EUR", 650L, "EUR", true, null)]
    [InlineData(650, "EUR", 650L, "eur", true, null)]
    [InlineData(650, "EUR", 1250L, "EUR", false, "amount")]
    [InlineData(650, "EUR", null, "EUR", false, "amount")]
    [InlineData(650, "EUR", 650L, "USD", false, "currency")]
    [InlineData(650, "EUR", 650L, null, false, "currency")]
    [InlineData(null, null, 1250L, "EUR", true, null)] // unpriced: the merchant collects, any amount is taken
    public void A_notification_must_pay_the_price_in_its_currency(int? price, string? currency, long? paid, string? paidCurrency, bool matches, string? field)
    {
        var check = PaymentRules.Check(price, currency, paid, paidCurrency);
        Assert.Equal((matches, field), (check.Matches, check.Field));
    }

    [Theory]
    [InlineData(1000, 0, RefundReason.CancelledBeforePickup, 50, null, 1000)]
    [InlineData(1000, 300, RefundReason.CancelledBeforePickup, 50, null, 700)]
    [InlineData(1000, 0, RefundReason.FailedAfterPickup, 50, null, 500)]
    [InlineData(999, 0, RefundReason.FailedAfterPickup, 50, null, 500)] // rounded in the customer's favour
    [InlineData(1000, 0, RefundReason.FailedAfterPickup, 0, null, 1000)]
    [InlineData(1000, 0, RefundReason.FailedAfterPickup, 100, null, 0)]
    [InlineData(1000, 600, RefundReason.FailedAfterPickup, 50, null, 0)] // already more than owed went back
    [InlineData(1000, 0, RefundReason.Manual, 50, 300, 300)]
    [InlineData(1000, 1000, RefundReason.CancelledBeforePickup, 50, null, 0)]
    public void Refund_amounts_follow_the_reason(int paid, int refunded, RefundReason reason, int keepPercent, int? requested, int expected)
    {
        var (cents, error) = RefundRules.Decide(paid, refunded, reason, keepPercent, requested);
        Assert.Null(error);
        Assert.Equal(expected, cents);
    }

    [Theory]
    [InlineData(1000, 0, RefundReason.FailedAfterPickup, 500, 500)]
    [InlineData(1000, 200, RefundReason.FailedAfterPickup, 300, 500)] // a manual refund before the failure counts
    [InlineData(1000, 0, RefundReason.FailedAfterPickup, 0, 1000)] // the platform keeps everything (100 %)
    [InlineData(1000, 0, RefundReason.CancelledBeforePickup, 1000, 0)]
    [InlineData(1000, 0, RefundReason.Manual, 300, 0)] // a manual refund leaves the rest where it is
    public void A_failed_order_keeps_what_its_refund_by_the_rule_did_not_give_back(int paid, int refunded, RefundReason reason, int refund, int kept) =>
        Assert.Equal(kept, RefundRules.KeptAfterFailure(paid, refunded, reason, refund));

    [Theory]
    [InlineData(0, null)]
    [InlineData(-5, 0)]
    [InlineData(701, 300)]
    public void A_manual_refund_of_nothing_or_more_than_is_left_is_an_error(int? requested, int? refundedBefore)
    {
        var (cents, error) = RefundRules.Decide(1000, refundedBefore ?? 0, RefundReason.Manual, 50, requested == 0 ? null : requested);
        Assert.Equal(0, cents);
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData(1000, 0, PaymentState.Paid)]
    [InlineData(1000, 1, PaymentState.PartlyRefunded)]
    [InlineData(1000, 1000, PaymentState.Refunded)]
    public void The_state_after_a_refund(int paid, int refunded, PaymentState expected) => Assert.Equal(expected, PaymentRules.AfterRefund(paid, refunded));

    [Theory]
    [InlineData("12.5", 1250L)]
    [InlineData("0.01", 1L)]
    [InlineData("12.345", null)]
    [InlineData("-1", null)]
    public void Decimal_amounts_become_cents_only_when_exact(string amount, long? cents) =>
        Assert.Equal(cents, PaymentRules.ToCents(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_refused_payment_of_an_unpaid_order_raises_a_critical_alert()
    {
        var now = DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var order = Guid.NewGuid();
        var facts = new OrderFacts(order, "D-000042", OrderStatus.Placed, false, now.AddMinutes(30), null, null, null, null, now.AddMinutes(-1), "The order costs 6.50 EUR; the notification says 12.50 was paid.");
        var alert = Assert.Single(AlertRules.Evaluate(new AlertInputs(now, [facts], [], []), AlertLimits.Default));
        Assert.Equal((AlertKind.PaymentMismatch, AlertSeverity.Critical, order), (alert.Kind, alert.Severity, alert.OrderId!.Value));
        Assert.Contains("6.50 EUR", alert.Detail, StringComparison.Ordinal);
        Assert.Empty(AlertRules.Evaluate(new AlertInputs(now, [facts with { PaymentAlertAt = null }], [], []), AlertLimits.Default));
    }
}
