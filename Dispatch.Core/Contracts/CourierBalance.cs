namespace Dispatch.Core.Contracts;

/// <summary>
/// What the platform owes a courier, minor units of <paramref name="Currency"/>: earned but not yet settled, settled (what a
/// withdrawal may take), and asked for in withdrawals not decided yet.
/// </summary>
public sealed record CourierBalance(string Currency, long PendingCents, long SettledCents, long WithdrawingCents);
