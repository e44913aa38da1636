using Dispatch.Core.Contracts;

namespace Dispatch.Server.Ledger;

/// <summary>A courier's withdrawal (table withdrawals); each step also books ledger lines. Decided once, conditionally on <see cref="State"/>.</summary>
internal sealed class WithdrawalRecord
{
    public Guid Id { get; set; }

    public Guid CourierId { get; set; }

    /// <summary>Minor units.</summary>
    public long AmountCents { get; set; }

    public string Currency { get; set; } = "";

    public WithdrawalState State { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedBy { get; set; }

    /// <summary>The bank or wallet transfer's reference, recorded on approval.</summary>
    public string? PayoutReference { get; set; }

    /// <summary>Why an admin rejected it.</summary>
    public string? Reason { get; set; }

    public WithdrawalView ToView() => new(Id, CourierId, AmountCents, Currency, State, RequestedAt, DecidedAt, PayoutReference, Reason);
}
