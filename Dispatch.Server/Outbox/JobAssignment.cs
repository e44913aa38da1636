namespace Dispatch.Server.Outbox;

/// <summary>
/// Payload of <see cref="OutboxKinds.JobAssigned"/>: a dispatcher gave the order to <paramref name="CourierId"/>, who is
/// pushed the job as the order stands when the push goes out, with <paramref name="Reason"/>.
/// </summary>
internal sealed record JobAssignment(Guid OrderId, Guid CourierId, string Reason);
