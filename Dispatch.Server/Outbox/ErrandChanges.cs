namespace Dispatch.Server.Outbox;

/// <summary>
/// Payload of <see cref="OutboxKinds.ReceiptChanged"/>: the buy-for-me receipt of <paramref name="OrderId"/> was submitted or
/// decided at <paramref name="At"/>; <paramref name="TellCourierId"/> is the courier to tell when the customer decided (null
/// when the courier made the change). The receipt itself is read when the push goes out: no customer text in the outbox.
/// </summary>
internal sealed record ReceiptChange(Guid OrderId, Guid? TellCourierId, DateTimeOffset At);

/// <summary>
/// Payload of <see cref="OutboxKinds.StopCompleted"/>: the courier marked stop <paramref name="StopIndex"/> (from 0) of the
/// errand <paramref name="OrderId"/> done at <paramref name="At"/>; the stop is read when the push goes out.
/// </summary>
internal sealed record StopChange(Guid OrderId, int StopIndex, DateTimeOffset At);
