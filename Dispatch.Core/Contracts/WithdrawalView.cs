namespace Dispatch.Core.Contracts;

/// <summary>A courier's withdrawal as the courier and the admin see it; minor units of <paramref name="Currency"/>.</summary>
public sealed record WithdrawalView(Guid Id, Guid CourierId, long AmountCents, string Currency, WithdrawalState State, DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt, string? PayoutReference, string? Reason);
