namespace Dispatch.Server.Ledger;

/// <summary>
/// The platform's cash moved by one kind of transaction (payment in, refund out) in one currency: debit positive, minor
/// units, and how many transactions. Refunds before delivery leave no balance behind, so only this shows them.
/// </summary>
internal sealed record CashFlowTotal(string Kind, string Currency, long Cents, int Transactions);
