using Dispatch.Core.Orders;

namespace Dispatch.Core.Reports;

/// <summary>
/// What the statistics need of one order: its zone, where it ended and when each step happened.
/// </summary>
/// <param name="CreatedAt">the customer's click (the order's creation)</param>
/// <param name="ReadyAt">when the goods were to be ready; null = ready when paid</param>
/// <param name="AcceptedAt">the last time a courier accepted it (a reassignment accepts again)</param>
/// <param name="FinishedAt">delivered, cancelled or failed; null while it is open</param>
/// <param name="FeeCents">the courier's fee fixed at delivery</param>
public sealed record OrderFact(
    string Zone,
    OrderStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset PromisedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? ReadyAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? PickedUpAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? EtaAtAccept,
    bool ColdChain,
    Guid? CourierId,
    int? FeeCents);
