namespace Dispatch.Server.Ledger;

/// <summary>
/// The platform's figures: every account's balance, whether every currency sums to zero (it must), and the platform's
/// cash moved per kind (payments, refunds).
/// </summary>
internal sealed record LedgerTotals(IReadOnlyList<AccountTotal> Accounts, bool Balanced, IReadOnlyList<CashFlowTotal> CashFlows);
