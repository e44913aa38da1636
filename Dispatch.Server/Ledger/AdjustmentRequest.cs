namespace Dispatch.Server.Ledger;

/// <summary>An admin's adjustment: minor units (negative takes money back) and the reason the courier sees.</summary>
internal sealed record AdjustmentRequest(long? AmountCents, string? Reason);
