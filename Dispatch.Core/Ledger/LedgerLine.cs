namespace Dispatch.Core.Ledger;

/// <summary>
/// One line of a journal transaction: <paramref name="Amount"/> minor units of <paramref name="Currency"/>, a debit when
/// positive and a credit when negative, on <paramref name="Account"/> (a courier's when <paramref name="CourierId"/> is set).
/// <paramref name="Kind"/> says what it is (<see cref="LedgerLineKinds"/>); <paramref name="OrderId"/> the order it is about.
/// </summary>
public sealed record LedgerLine(string Account, Guid? CourierId, long Amount, string Currency, string Kind, Guid? OrderId = null);
