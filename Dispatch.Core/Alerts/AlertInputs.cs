using Dispatch.Core.Orders;

namespace Dispatch.Core.Alerts;

/// <summary>An open order of the zone as the alert rules see it.</summary>
/// <param name="ReadySince">When the order became ready to dispatch (paid); null if unknown.</param>
/// <param name="PickedUpAt">When the courier picked the goods up; null before pickup.</param>
/// <param name="PinLockedAt">When PIN entry locked after too many wrong PINs; null while it is not locked.</param>
/// <param name="PaymentAlertAt">When a payment notification of this unpaid order did not match it; <paramref name="PaymentAlert"/> says how.</param>
public sealed record OrderFacts(
    Guid OrderId,
    string Number,
    OrderStatus Status,
    bool ColdChain,
    DateTimeOffset PromisedAt,
    DateTimeOffset? ReadySince,
    DateTimeOffset? PickedUpAt,
    Guid? CourierId,
    DateTimeOffset? PinLockedAt = null,
    DateTimeOffset? PaymentAlertAt = null,
    string? PaymentAlert = null);

/// <summary>A courier the zone believes online, with the time of their last position.</summary>
public sealed record CourierFacts(Guid CourierId, string? Name, DateTimeOffset LastSeen, int ActiveOrders);

/// <summary>One declined offer.</summary>
public sealed record DeclineFact(Guid OrderId, Guid CourierId, DateTimeOffset At);

/// <summary>
/// Everything the rules look at, gathered by the server at <paramref name="Now"/>. <paramref name="Declines"/> holds the
/// declines of the open orders and every decline of the last courier window.
/// </summary>
public sealed record AlertInputs(
    DateTimeOffset Now,
    IReadOnlyList<OrderFacts> Orders,
    IReadOnlyList<CourierFacts> Couriers,
    IReadOnlyList<DeclineFact> Declines);
