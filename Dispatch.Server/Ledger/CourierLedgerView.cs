using Dispatch.Core.Contracts;

namespace Dispatch.Server.Ledger;

/// <summary>An admin's look at one courier's accounts: the balance and the newest lines first.</summary>
internal sealed record CourierLedgerView(Guid CourierId, CourierBalance Balance, IReadOnlyList<LedgerEntryView> Lines);
