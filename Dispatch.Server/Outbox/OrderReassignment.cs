namespace Dispatch.Server.Outbox;

/// <summary>
/// Payload of <see cref="OutboxKinds.OrderReassigned"/>: a dispatcher, the recovery sweep or a suspension moved the order away
/// from <paramref name="CourierId"/>, who is told <paramref name="Reason"/> and drops it from their app.
/// </summary>
internal sealed record OrderReassignment(Guid OrderId, long Number, Guid CourierId, string Reason);
