namespace Dispatch.Server.Ledger;

/// <summary>A courier asks for <paramref name="AmountCents"/> (minor units) of their settled balance.</summary>
public sealed record WithdrawalRequest(long? AmountCents);
