namespace Dispatch.Server.Ledger;

/// <summary>One ledger line with its transaction: debit positive, credit negative, minor units.</summary>
internal sealed record LedgerEntryView(long Id, DateTimeOffset At, string Cause, string TransactionKind, string Memo, string Actor, string Account,
    long Amount, string Currency, string Kind, Guid? OrderId);
