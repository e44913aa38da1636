using Dispatch.Core.Errands;
using Dispatch.Core.Orders;

namespace Dispatch.Tests.Core;

public sealed class ReceiptRulesTests
{
    private const string No = "D-000007";
    private static readonly BuyForMe Fresh = new(2500, ReceiptState.None, null, null);

    [Theory]
    [InlineData(2499)]
    [InlineData(2500)]
    public void A_receipt_at_or_under_the_cap_is_approved_at_once(int amount)
    {
        var d = ReceiptRules.Submit(No, OrderStatus.PickedUp, Fresh, amount, "https://photos.example/r1.jpg");
        Assert.True(d.IsAllowed);
        Assert.True(d.AutoApproved);
        Assert.Equal(new BuyForMe(2500, ReceiptState.Approved, amount, amount), d.After);
        Assert.Null(ReceiptRules.BlocksDelivery(No, d.After));
    }

    [Fact]
    public void A_receipt_over_the_cap_waits_for_the_customer_and_blocks_delivery()
    {
        var d = ReceiptRules.Submit(No, OrderStatus.InTransit, Fresh, 2501, "r1");
        Assert.False(d.AutoApproved);
        Assert.Equal(new BuyForMe(2500, ReceiptState.AwaitingCustomer, 2501, null), d.After);
        Assert.Contains("waits for the customer's approval", ReceiptRules.BlocksDelivery(No, d.After), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OrderStatus.Placed, "after you bought the goods")]
    [InlineData(OrderStatus.Accepted, "after you bought the goods")]
    [InlineData(OrderStatus.ArrivedAtPickup, "the order is ArrivedAtPickup")]
    [InlineData(OrderStatus.Delivered, "already Delivered")]
    [InlineData(OrderStatus.Cancelled, "already Cancelled")]
    public void Receipts_come_only_while_the_goods_are_carried(OrderStatus status, string message)
    {
        var d = ReceiptRules.Submit(No, status, Fresh, 1000, "r1");
        Assert.False(d.IsAllowed);
        Assert.Contains(message, d.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ordinary_order_takes_no_receipt_and_is_never_blocked()
    {
        Assert.Contains("not a buy-for-me errand", ReceiptRules.Submit(No, OrderStatus.PickedUp, null, 1000, "r1").Error, StringComparison.Ordinal);
        Assert.Contains("not a buy-for-me errand", ReceiptRules.Decide(No, OrderStatus.PickedUp, null, approve: true).Error, StringComparison.Ordinal);
        Assert.Null(ReceiptRules.BlocksDelivery(No, null));
    }

    [Theory]
    [InlineData(0, "r1", "must be positive")]
    [InlineData(-500, "r1", "must be positive")]
    [InlineData(BuyForMe.MaxCents + 1, "r1", "check the amount")]
    [InlineData(1000, "", "Add a photo")]
    [InlineData(1000, "   ", "Add a photo")]
    [InlineData(1000, null, "Add a photo")]
    public void Bad_amounts_and_missing_photos_are_refused(int amount, string? photo, string message)
    {
        var d = ReceiptRules.Submit(No, OrderStatus.PickedUp, Fresh, amount, photo);
        Assert.False(d.IsAllowed);
        Assert.Contains(message, d.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_too_long_photo_reference_is_refused() =>
        Assert.Contains("at most 500", ReceiptRules.Submit(No, OrderStatus.PickedUp, Fresh, 100, new string('x', 501)).Error, StringComparison.Ordinal);

    [Fact]
    public void Once_approved_the_receipt_cannot_change_and_a_pending_one_cannot_be_replaced()
    {
        var approved = new BuyForMe(2500, ReceiptState.Approved, 2000, 2000);
        Assert.Contains("already approved (20.00)", ReceiptRules.Submit(No, OrderStatus.PickedUp, approved, 1500, "r2").Error, StringComparison.Ordinal);
        var pending = new BuyForMe(2500, ReceiptState.AwaitingCustomer, 3000, null);
        Assert.Contains("waiting for the customer's decision", ReceiptRules.Submit(No, OrderStatus.PickedUp, pending, 2400, "r2").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_customer_approves_the_amount_on_the_receipt()
    {
        var pending = new BuyForMe(2500, ReceiptState.AwaitingCustomer, 3000, null);
        var d = ReceiptRules.Decide(No, OrderStatus.InTransit, pending, approve: true);
        Assert.Equal(new BuyForMe(2500, ReceiptState.Approved, 3000, 3000), d.After);
        Assert.False(d.AutoApproved);
    }

    [Fact]
    public void After_a_rejection_the_courier_may_send_a_new_receipt_and_delivery_waits()
    {
        var pending = new BuyForMe(2500, ReceiptState.AwaitingCustomer, 3000, null);
        var rejected = ReceiptRules.Decide(No, OrderStatus.InTransit, pending, approve: false).After!.Value;
        Assert.Equal(ReceiptState.Rejected, rejected.State);
        Assert.Contains("rejected the receipt", ReceiptRules.BlocksDelivery(No, rejected), StringComparison.Ordinal);
        Assert.Contains("already rejected", ReceiptRules.Decide(No, OrderStatus.InTransit, rejected, approve: true).Error, StringComparison.Ordinal);

        var again = ReceiptRules.Submit(No, OrderStatus.InTransit, rejected, 2300, "r2");
        Assert.True(again.AutoApproved);
        Assert.Equal(2300, again.After!.Value.ApprovedCents);
    }

    [Theory]
    [InlineData(ReceiptState.None, "has not sent a receipt")]
    [InlineData(ReceiptState.Approved, "already approved")]
    public void The_customer_can_only_decide_a_receipt_that_waits(ReceiptState state, string message)
    {
        var e = new BuyForMe(2500, state, state == ReceiptState.None ? null : 2000, state == ReceiptState.Approved ? 2000 : null);
        Assert.Contains(message, ReceiptRules.Decide(No, OrderStatus.PickedUp, e, approve: true).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OrderStatus.Delivered)]
    [InlineData(OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Failed)]
    public void Nothing_is_decided_after_the_order_ended(OrderStatus status)
    {
        var pending = new BuyForMe(2500, ReceiptState.AwaitingCustomer, 3000, null);
        Assert.Contains($"already {status}", ReceiptRules.Decide(No, status, pending, approve: true).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Delivery_without_any_receipt_asks_for_it() =>
        Assert.Contains("send the receipt", ReceiptRules.BlocksDelivery(No, Fresh), StringComparison.Ordinal);

    [Theory]
    [InlineData(null, "required")]
    [InlineData(0, "positive")]
    [InlineData(-1, "positive")]
    [InlineData(BuyForMe.MaxCents + 1, "at most")]
    public void Price_caps_are_checked(int? cap, string message) =>
        Assert.Contains(message, ReceiptRules.ValidateCap(cap), StringComparison.Ordinal);

    [Fact]
    public void Caps_in_range_are_fine_and_amounts_print_with_two_decimals()
    {
        Assert.Null(ReceiptRules.ValidateCap(1));
        Assert.Null(ReceiptRules.ValidateCap(BuyForMe.MaxCents));
        Assert.Equal("28.40", ReceiptRules.Format(2840));
        Assert.Equal("0.05", ReceiptRules.Format(5));
    }
}
