using Dispatch.Core.Ledger;

namespace Dispatch.Tests.Core;

public sealed class LedgerRulesTests
{
    private static readonly Guid Order = Guid.Parse("0192a000-0000-7000-8000-000000000001");
    private static readonly Guid Courier = Guid.Parse("0192a000-0000-7000-8000-000000000002");
    private static readonly Surcharges Rules = new(150, 100);

    [Fact]
    public void A_delivery_turns_the_prepayment_into_revenue_and_credits_the_courier_line_by_line()
    {
        var posting = LedgerRules.Delivery(new DeliveredOrder(Order, Courier, 412, ColdChain: true, Errand: true, 2380, "EUR", 1250, "CNY"), Rules)!;
        Assert.True(LedgerRules.IsBalanced(posting.Lines));
        Assert.Equal($"delivery:{Order:N}", posting.Cause);
        Assert.Equal(
            [(LedgerLineKinds.Fee, -412L), (LedgerLineKinds.ColdChainSurcharge, -150L), (LedgerLineKinds.ErrandSurcharge, -100L), (LedgerLineKinds.Reimbursement, -2380L)],
            posting.Lines.Where(l => l.Account == LedgerAccounts.CourierPending).Select(l => (l.Kind, l.Amount)));
        Assert.All(posting.Lines.Where(l => l.Account == LedgerAccounts.CourierPending), l => Assert.Equal((Courier, "EUR"), (l.CourierId!.Value, l.Currency)));
        Assert.Equal(-1250, posting.Lines.Single(l => l.Account == LedgerAccounts.PlatformRevenue && l.Currency == "CNY").Amount);
        Assert.Equal(2380, posting.Lines.Single(l => l.Account == LedgerAccounts.CustomerReceivable).Amount);
    }

    [Fact]
    public void Surcharges_apply_only_to_their_orders_and_an_unpaid_order_with_no_fee_books_nothing()
    {
        var plain = LedgerRules.Delivery(new DeliveredOrder(Order, Courier, 380, false, false, 0, "EUR", 0, "EUR"), Rules)!;
        Assert.Equal([LedgerLineKinds.Fee, LedgerLineKinds.Fee], plain.Lines.Select(l => l.Kind));
        Assert.Null(LedgerRules.Delivery(new DeliveredOrder(Order, Courier, 0, false, false, 0, "EUR", 0, "EUR"), Rules));
        Assert.Null(LedgerRules.Delivery(new DeliveredOrder(Order, Courier, 0, true, true, 0, "EUR", 0, "EUR"), new Surcharges(0, 0)));
    }

    [Theory]
    [InlineData(false, false, false, false)] // before delivery: out of the prepayment
    [InlineData(true, false, true, false)] // after delivery, partly: the courier keeps the fee
    [InlineData(true, true, false, false)] // fully refunded, rule off: the courier keeps the fee
    [InlineData(true, true, true, true)] // fully refunded, rule on: fee and surcharges taken back
    public void A_refund_shows_in_the_platform_figures_and_reverses_the_fee_only_by_the_rule(bool delivered, bool full, bool rule, bool reversed)
    {
        var refund = Guid.NewGuid();
        var posting = LedgerRules.Refund(refund, Order, 700, "EUR", delivered, full, Courier, 562, "EUR", rule)!;
        Assert.True(LedgerRules.IsBalanced(posting.Lines));
        Assert.Equal($"refund:{refund:N}", posting.Cause);
        Assert.Equal(-700, posting.Lines.Single(l => l.Account == LedgerAccounts.PlatformCash).Amount);
        Assert.Equal(700, posting.Lines.Single(l => l.Account == (delivered ? LedgerAccounts.PlatformRefunds : LedgerAccounts.CustomerPrepaid)).Amount);
        Assert.Equal(reversed ? 562 : 0, posting.Lines.Where(l => l.Account == LedgerAccounts.CourierPending).Sum(l => l.Amount));
    }

    [Fact]
    public void A_failed_orders_kept_share_leaves_the_prepayment_as_revenue_once_per_order()
    {
        var posting = LedgerRules.Kept(Order, 500, "EUR")!;
        Assert.True(LedgerRules.IsBalanced(posting.Lines));
        Assert.Equal($"kept:{Order:N}", posting.Cause);
        Assert.Equal(500, posting.Lines.Single(l => l.Account == LedgerAccounts.CustomerPrepaid).Amount);
        Assert.Equal(-500, posting.Lines.Single(l => l.Account == LedgerAccounts.PlatformRevenue).Amount);
        Assert.Null(LedgerRules.Kept(Order, 0, "EUR"));
    }

    [Fact]
    public void Settlement_and_withdrawal_steps_move_between_the_courier_accounts()
    {
        var day = new DateOnly(2026, 12, 6);
        var settled = LedgerRules.Settlement(Courier, day, 1234, "EUR")!;
        Assert.Equal($"settlement:{Courier:N}:2026-12-06:EUR", settled.Cause);
        Assert.Equal([(LedgerAccounts.CourierPending, 1234L), (LedgerAccounts.CourierSettled, -1234L)], settled.Lines.Select(l => (l.Account, l.Amount)));
        Assert.Null(LedgerRules.Settlement(Courier, day, 0, "EUR"));
        var id = Guid.NewGuid();
        foreach (var step in new[]
        {
            LedgerRules.WithdrawalRequested(id, Courier, 500, "EUR"), LedgerRules.WithdrawalApproved(id, Courier, 500, "EUR", "SEPA-1"),
            LedgerRules.WithdrawalRejected(id, Courier, 500, "EUR", "no bank details"), LedgerRules.Adjustment(id, Courier, -200, "EUR", "bag"),
            LedgerRules.Payment(Order, 990, "EUR")!,
        })
        {
            Assert.True(LedgerRules.IsBalanced(step.Lines), step.Cause);
        }
        // Approval and rejection share a cause: a withdrawal is decided once.
        Assert.Equal(LedgerRules.WithdrawalApproved(id, Courier, 500, "EUR", "a").Cause, LedgerRules.WithdrawalRejected(id, Courier, 500, "EUR", "b").Cause);
    }

    [Fact]
    public void Unbalanced_or_zero_lines_are_not_a_transaction()
    {
        Assert.False(LedgerRules.IsBalanced([new(LedgerAccounts.PlatformCash, null, 5, "EUR", "x"), new(LedgerAccounts.Payouts, null, -4, "EUR", "x")]));
        Assert.False(LedgerRules.IsBalanced([new(LedgerAccounts.PlatformCash, null, 5, "EUR", "x"), new(LedgerAccounts.Payouts, null, -5, "CNY", "x")]));
        Assert.False(LedgerRules.IsBalanced([new(LedgerAccounts.PlatformCash, null, 0, "EUR", "x"), new(LedgerAccounts.Payouts, null, 0, "EUR", "x")]));
    }

    [Theory]
    [InlineData(null, 1000, "amountCents")]
    [InlineData(-1L, 1000, "amountCents")]
    [InlineData(0L, 1000, "amountCents")]
    [InlineData(1001L, 1000, "amountCents")]
    [InlineData(1L, 0, "amountCents")]
    [InlineData(1000L, 1000, null)]
    public void A_withdrawal_takes_a_positive_amount_up_to_the_settled_balance(long? amount, long settled, string? field) =>
        Assert.Equal(field, WithdrawalRules.RequestError(amount, settled)?.Field);

    [Theory]
    [InlineData(0L, "x", "amountCents")]
    [InlineData(10_000_001L, "x", "amountCents")]
    [InlineData(-500L, null, "reason")]
    [InlineData(-500L, "  ", "reason")]
    [InlineData(-500L, "damaged bag", null)]
    public void An_adjustment_needs_a_non_zero_bounded_amount_and_a_reason(long amount, string? reason, string? field) =>
        Assert.Equal(field, LedgerRules.AdjustmentError(amount, reason)?.Field);

    [Theory]
    [InlineData(2026, 12, 6, 2026, 11, 30)] // Sunday
    [InlineData(2026, 11, 30, 2026, 11, 30)] // Monday
    [InlineData(2027, 1, 1, 2026, 12, 28)] // Friday across the year
    public void Weeks_start_on_monday(int y, int m, int d, int wy, int wm, int wd) =>
        Assert.Equal(new DateOnly(wy, wm, wd), EarningsWeek.StartOf(new DateOnly(y, m, d)));
}
