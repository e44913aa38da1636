namespace Dispatch.Server.Ledger;

/// <summary>An account's balance over all its lines (all couriers together for the courier accounts): debit positive, minor units.</summary>
internal sealed record AccountTotal(string Account, string Currency, long Balance);
