namespace Dispatch.Core.Ledger;

/// <summary>
/// The money facts of an order as it is delivered: the courier's fee (in the courier currency), whether the cold-chain and
/// errand surcharges apply, the buy-for-me amount approved (courier currency), and what the customer paid net of refunds so
/// far (<paramref name="PaidNet"/>, order currency; 0 for an order nobody paid through the platform).
/// </summary>
public sealed record DeliveredOrder(
    Guid OrderId,
    Guid CourierId,
    long Fee,
    bool ColdChain,
    bool Errand,
    long Reimbursement,
    string CourierCurrency,
    long PaidNet,
    string OrderCurrency);
