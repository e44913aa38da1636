namespace Dispatch.Server.Ledger;

/// <summary>A courier asks for <paramref name="AmountCents"/> (minor units) of their settled balance.</summary>
internal sealed record WithdrawalRequest(long? AmountCents);
