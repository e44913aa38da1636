namespace Dispatch.Core.Contracts;

/// <summary>One order's lines for its courier, minor units: the fee, the surcharges, the goods paid back, and any fee taken back after a refund (negative).</summary>
public sealed record OrderEarnings(Guid OrderId, string Number, DateTimeOffset At, long FeeCents, long SurchargeCents, long ReimbursedCents, long ReversedCents);
