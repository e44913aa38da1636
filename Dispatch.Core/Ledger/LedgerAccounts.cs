namespace Dispatch.Core.Ledger;

/// <summary>
/// The ledger's accounts. Platform accounts have no owner; the three courier accounts are kept per courier (the line's
/// courier id). A line's amount is a debit when positive and a credit when negative (minor units).
/// </summary>
public static class LedgerAccounts
{
    /// <summary>Money the platform holds at its payment providers (asset): debited by payments, credited by refunds.</summary>
    public const string PlatformCash = "platform_cash";

    /// <summary>Customers' payments for orders not yet delivered (liability): credited by a payment, debited at delivery or refund.</summary>
    public const string CustomerPrepaid = "customer_prepaid";

    /// <summary>Buy-for-me goods the courier paid for, owed by customers (asset).</summary>
    public const string CustomerReceivable = "customer_receivable";

    /// <summary>What customers paid for delivered orders (income): credited at delivery.</summary>
    public const string PlatformRevenue = "platform_revenue";

    /// <summary>Refunds of delivered orders (contra-income): debited, so the platform's figures show them.</summary>
    public const string PlatformRefunds = "platform_refunds";

    /// <summary>Courier fees and surcharges (expense): debited when a courier earns.</summary>
    public const string CourierCosts = "courier_costs";

    /// <summary>Admins' adjustments of courier balances (expense, either sign).</summary>
    public const string Adjustments = "adjustments";

    /// <summary>Withdrawals paid out to couriers (credited when an admin approves one).</summary>
    public const string Payouts = "payouts";

    /// <summary>Per courier: earned today, not yet closed by the daily settlement (liability).</summary>
    public const string CourierPending = "courier_pending";

    /// <summary>Per courier: closed by a settlement; what a withdrawal may take (liability).</summary>
    public const string CourierSettled = "courier_settled";

    /// <summary>Per courier: asked for in a withdrawal an admin has not decided yet (liability).</summary>
    public const string CourierWithdrawing = "courier_withdrawing";

    public static bool IsCourierAccount(string account) => account is CourierPending or CourierSettled or CourierWithdrawing;
}
