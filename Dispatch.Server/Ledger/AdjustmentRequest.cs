namespace Dispatch.Server.Ledger;

/// <summary>An admin's adjustment: minor units (negative takes money back) and the reason the courier sees.</summary>
public sealed record AdjustmentRequest(long? AmountCents, string? Reason);
