namespace Dispatch.Server.Outbox;

/// <summary>
/// Payload of <see cref="OutboxKinds.OfferWithdrawn"/>: the courier's pending offer ended without their answer (it
/// expired, another courier accepted, they went offline) and they are told <paramref name="Reason"/>.
/// </summary>
internal sealed record OfferWithdrawal(Guid OfferId, Guid OrderId, Guid CourierId, string Reason);
