namespace Dispatch.Core.Ledger;

/// <summary>What a ledger line is for; courier views sum them by kind.</summary>
public static class LedgerLineKinds
{
    public const string Payment = "payment";
    public const string Revenue = "revenue";
    public const string Refund = "refund";
    public const string Fee = "fee";
    public const string ColdChainSurcharge = "cold_chain_surcharge";
    public const string ErrandSurcharge = "errand_surcharge";
    public const string Reimbursement = "reimbursement";
    public const string FeeReversal = "fee_reversal";
    public const string Adjustment = "adjustment";
    public const string Settlement = "settlement";
    public const string Withdrawal = "withdrawal";
    public const string Payout = "payout";
    public const string WithdrawalRejected = "withdrawal_rejected";

    /// <summary>The kinds that are a courier's earnings (credited to their pending account by an order or an admin).</summary>
    public static readonly string[] Earnings = [Fee, ColdChainSurcharge, ErrandSurcharge, Reimbursement, FeeReversal, Adjustment];
}
