namespace Dispatch.Core.Ledger;

/// <summary>
/// The ledger's bookings, decided from facts passed in: which accounts move, by how much, under which cause. Every
/// posting it returns is balanced per currency; amounts are minor units, never floating point.
/// </summary>
public static class LedgerRules
{
    /// <summary>The most one adjustment may move, minor units (a typo of three zeros is refused, not booked).</summary>
    public const long MaxAdjustment = 10_000_000;

    public const int MaxReasonLength = 300;

    /// <summary>True when every currency's lines sum to zero and no line is zero.</summary>
    public static bool IsBalanced(IReadOnlyList<LedgerLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return lines.Count >= 2 && lines.All(l => l.Amount != 0) && lines.GroupBy(l => l.Currency).All(g => g.Sum(l => l.Amount) == 0);
    }

    /// <summary>A customer's payment reached the platform: cash in, owed to the customer until the order is delivered.</summary>
    public static LedgerPosting? Payment(Guid orderId, long cents, string currency) => cents <= 0 ? null : new(
        $"payment:{orderId:N}", "payment",
        [
            new(LedgerAccounts.PlatformCash, null, cents, currency, LedgerLineKinds.Payment, orderId),
            new(LedgerAccounts.CustomerPrepaid, null, -cents, currency, LedgerLineKinds.Payment, orderId),
        ], "payment received", orderId);

    /// <summary>
    /// A delivery: the customer's prepayment becomes revenue; the courier's pending account is credited with the fee, each
    /// surcharge that applies and the buy-for-me reimbursement, each its own line so the courier sees what they were paid for.
    /// Null when nothing moves (an unpaid order with no fee).
    /// </summary>
    public static LedgerPosting? Delivery(DeliveredOrder order, Surcharges surcharges)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(surcharges);
        var lines = new List<LedgerLine>();
        if (order.PaidNet > 0)
        {
            lines.Add(new(LedgerAccounts.CustomerPrepaid, null, order.PaidNet, order.OrderCurrency, LedgerLineKinds.Revenue, order.OrderId));
            lines.Add(new(LedgerAccounts.PlatformRevenue, null, -order.PaidNet, order.OrderCurrency, LedgerLineKinds.Revenue, order.OrderId));
        }
        void Earn(long amount, string kind, string costAccount)
        {
            if (amount <= 0) return;
            lines.Add(new(costAccount, null, amount, order.CourierCurrency, kind, order.OrderId));
            lines.Add(new(LedgerAccounts.CourierPending, order.CourierId, -amount, order.CourierCurrency, kind, order.OrderId));
        }
        Earn(order.Fee, LedgerLineKinds.Fee, LedgerAccounts.CourierCosts);
        if (order.ColdChain) Earn(surcharges.ColdChainCents, LedgerLineKinds.ColdChainSurcharge, LedgerAccounts.CourierCosts);
        if (order.Errand) Earn(surcharges.ErrandCents, LedgerLineKinds.ErrandSurcharge, LedgerAccounts.CourierCosts);
        Earn(order.Reimbursement, LedgerLineKinds.Reimbursement, LedgerAccounts.CustomerReceivable);
        return lines.Count == 0 ? null : new($"delivery:{order.OrderId:N}", "delivery", lines, "order delivered", order.OrderId, order.CourierId);
    }

    /// <summary>
    /// Money given back to a customer. Before delivery it comes out of the prepayment; after delivery it is a refund in the
    /// platform's figures. The courier keeps a fee already earned, unless <paramref name="reverseFeeOnFullRefund"/> and this
    /// refund makes the order fully refunded: then the fee and surcharges (not the reimbursement: the goods were bought) are
    /// taken back from the courier's pending balance.
    /// </summary>
    /// <param name="delivered">the order's prepayment became revenue: it was delivered, or failed and its kept share was booked</param>
    /// <param name="courierEarned">the fee and surcharges the delivery credited the courier (courier currency); 0 when not delivered</param>
    public static LedgerPosting? Refund(Guid refundId, Guid orderId, long cents, string currency, bool delivered, bool fullyRefunded,
        Guid? courierId, long courierEarned, string courierCurrency, bool reverseFeeOnFullRefund)
    {
        if (cents <= 0) return null;
        var lines = new List<LedgerLine>
        {
            new(delivered ? LedgerAccounts.PlatformRefunds : LedgerAccounts.CustomerPrepaid, null, cents, currency, LedgerLineKinds.Refund, orderId),
            new(LedgerAccounts.PlatformCash, null, -cents, currency, LedgerLineKinds.Refund, orderId),
        };
        if (delivered && fullyRefunded && reverseFeeOnFullRefund && courierId is { } courier && courierEarned > 0)
        {
            lines.Add(new(LedgerAccounts.CourierPending, courier, courierEarned, courierCurrency, LedgerLineKinds.FeeReversal, orderId));
            lines.Add(new(LedgerAccounts.CourierCosts, null, -courierEarned, courierCurrency, LedgerLineKinds.FeeReversal, orderId));
        }
        return new($"refund:{refundId:N}", "refund", lines, delivered ? "refund after delivery" : "refund before delivery", orderId, courierId);
    }

    /// <summary>
    /// What a failed order's customer paid and did not get back once its refund by the rule is decided: the platform kept
    /// it for the work done, so it leaves the prepayment and becomes revenue (no delivery will ever move it). One per order.
    /// </summary>
    public static LedgerPosting? Kept(Guid orderId, long cents, string currency) => cents <= 0 ? null : new(
        $"kept:{orderId:N}", "kept",
        [
            new(LedgerAccounts.CustomerPrepaid, null, cents, currency, LedgerLineKinds.Revenue, orderId),
            new(LedgerAccounts.PlatformRevenue, null, -cents, currency, LedgerLineKinds.Revenue, orderId),
        ], "kept after the order failed", orderId);

    /// <summary>Why an admin's adjustment is refused (null when it may be booked): a non-zero amount within bounds and a reason.</summary>
    public static (string Field, string Message)? AdjustmentError(long? amount, string? reason)
    {
        if (amount is not { } a || a == 0) return ("amountCents", "amountCents is a non-zero whole number of minor units (negative takes money back).");
        if (Math.Abs(a) > MaxAdjustment) return ("amountCents", $"amountCents must be between -{MaxAdjustment} and {MaxAdjustment}.");
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text)) return ("reason", "Give a reason for the adjustment; the courier and the audit log see it.");
        if (text.Length > MaxReasonLength) return ("reason", $"reason is at most {MaxReasonLength} characters.");
        return null;
    }

    /// <summary>An admin's adjustment of a courier's pending balance (positive pays more, negative takes back).</summary>
    public static LedgerPosting Adjustment(Guid adjustmentId, Guid courierId, long amount, string currency, string reason) => new(
        $"adjustment:{adjustmentId:N}", "adjustment",
        [
            new(LedgerAccounts.Adjustments, null, amount, currency, LedgerLineKinds.Adjustment),
            new(LedgerAccounts.CourierPending, courierId, -amount, currency, LedgerLineKinds.Adjustment),
        ], reason.Trim(), null, courierId);

    /// <summary>
    /// Closes one local day of a courier: what the day credited to pending (<paramref name="dayCredit"/>, positive when the
    /// courier earned) moves to settled. Null when the day moved nothing.
    /// </summary>
    public static LedgerPosting? Settlement(Guid courierId, DateOnly day, long dayCredit, string currency, string? timeZone = null) => dayCredit == 0 ? null : new(
        // The server's own time zone keeps the cause it always had, so a day settled before zones had time zones is not settled again.
        timeZone is null ? $"settlement:{courierId:N}:{day:yyyy-MM-dd}:{currency}" : $"settlement:{courierId:N}:{day:yyyy-MM-dd}:{currency}:{timeZone}", "settlement",
        [
            new(LedgerAccounts.CourierPending, courierId, dayCredit, currency, LedgerLineKinds.Settlement),
            new(LedgerAccounts.CourierSettled, courierId, -dayCredit, currency, LedgerLineKinds.Settlement),
        ], timeZone is null ? $"day {day:yyyy-MM-dd} settled" : $"day {day:yyyy-MM-dd} ({timeZone}) settled", null, courierId, timeZone);

    /// <summary>A courier asks for <paramref name="amount"/>: it leaves the settled balance and waits for an admin.</summary>
    public static LedgerPosting WithdrawalRequested(Guid withdrawalId, Guid courierId, long amount, string currency) => new(
        $"withdrawal:{withdrawalId:N}:requested", "withdrawal_requested",
        [
            new(LedgerAccounts.CourierSettled, courierId, amount, currency, LedgerLineKinds.Withdrawal),
            new(LedgerAccounts.CourierWithdrawing, courierId, -amount, currency, LedgerLineKinds.Withdrawal),
        ], "withdrawal requested", null, courierId);

    /// <summary>An admin paid it out (the payout reference is the memo).</summary>
    public static LedgerPosting WithdrawalApproved(Guid withdrawalId, Guid courierId, long amount, string currency, string payoutReference) => new(
        $"withdrawal:{withdrawalId:N}:decided", "withdrawal_approved",
        [
            new(LedgerAccounts.CourierWithdrawing, courierId, amount, currency, LedgerLineKinds.Payout),
            new(LedgerAccounts.Payouts, null, -amount, currency, LedgerLineKinds.Payout),
        ], payoutReference.Trim(), null, courierId);

    /// <summary>An admin refused it (the reason is the memo): the amount goes back to the settled balance.</summary>
    public static LedgerPosting WithdrawalRejected(Guid withdrawalId, Guid courierId, long amount, string currency, string reason) => new(
        $"withdrawal:{withdrawalId:N}:decided", "withdrawal_rejected",
        [
            new(LedgerAccounts.CourierWithdrawing, courierId, amount, currency, LedgerLineKinds.WithdrawalRejected),
            new(LedgerAccounts.CourierSettled, courierId, -amount, currency, LedgerLineKinds.WithdrawalRejected),
        ], reason.Trim(), null, courierId);
}
