namespace Dispatch.Server.Ledger;

/// <summary>One line of a journal transaction (table ledger_lines): a debit when <see cref="Amount"/> is positive, a credit when negative; minor units.</summary>
internal sealed class LedgerLineRecord
{
    public long Id { get; set; }

    public Guid TransactionId { get; set; }

    /// <summary>One of <see cref="Dispatch.Core.Ledger.LedgerAccounts"/>.</summary>
    public string Account { get; set; } = "";

    /// <summary>Set on the courier accounts: whose it is.</summary>
    public Guid? CourierId { get; set; }

    public long Amount { get; set; }

    public string Currency { get; set; } = "";

    /// <summary>One of <see cref="Dispatch.Core.Ledger.LedgerLineKinds"/>.</summary>
    public string Kind { get; set; } = "";

    public Guid? OrderId { get; set; }

    /// <summary>The transaction's time, repeated so a courier's days are read from this table alone.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>The IANA time zone whose local days this line belongs to (the zone where it was earned); null: Dispatch:EarningsTimeZone.</summary>
    public string? TimeZone { get; set; }
}
