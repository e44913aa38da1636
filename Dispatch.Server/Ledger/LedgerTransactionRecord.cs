namespace Dispatch.Server.Ledger;

/// <summary>
/// One journal transaction (table ledger_transactions): append-only, unique by <see cref="Cause"/> so a replayed cause
/// books nothing. Its lines (<see cref="LedgerLineRecord"/>) sum to zero per currency, checked by a deferred trigger at commit.
/// </summary>
internal sealed class LedgerTransactionRecord
{
    public Guid Id { get; set; }

    /// <summary>What caused it, e.g. "delivery:{order}", "settlement:{courier}:{day}:{currency}"; unique.</summary>
    public string Cause { get; set; } = "";

    public string Kind { get; set; } = "";

    public Guid? OrderId { get; set; }

    public Guid? CourierId { get; set; }

    /// <summary>The reason of an adjustment or rejection, the payout reference of an approval, else a short description.</summary>
    public string Memo { get; set; } = "";

    public string Actor { get; set; } = "";

    public DateTimeOffset At { get; set; }
}
