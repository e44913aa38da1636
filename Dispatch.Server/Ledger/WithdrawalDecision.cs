namespace Dispatch.Server.Ledger;

/// <summary>An admin's decision: the payout reference to approve, the reason to reject.</summary>
internal sealed record WithdrawalDecision(string? PayoutReference, string? Reason);
