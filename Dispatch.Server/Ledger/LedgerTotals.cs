namespace Dispatch.Server.Ledger;

/// <summary>The platform's figures: every account's balance, and whether every currency sums to zero (it must).</summary>
internal sealed record LedgerTotals(IReadOnlyList<AccountTotal> Accounts, bool Balanced);
