namespace Dispatch.Core.Ledger;

/// <summary>
/// One journal transaction to write: <paramref name="Cause"/> is its unique key (e.g. "delivery:{order}"), so writing the
/// same cause again books nothing; its lines sum to zero per currency (<see cref="LedgerRules.IsBalanced"/>).
/// <paramref name="TimeZone"/>: the IANA time zone whose local days the lines belong to (the zone where the money was earned);
/// null for the server's earnings time zone.
/// </summary>
public sealed record LedgerPosting(string Cause, string Kind, IReadOnlyList<LedgerLine> Lines, string Memo, Guid? OrderId = null, Guid? CourierId = null,
    string? TimeZone = null);
