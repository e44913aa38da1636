namespace Dispatch.Server.Ledger;

/// <summary>A booked adjustment; <paramref name="Replayed"/> when its Idempotency-Key was booked before and nothing new was written.</summary>
internal sealed record AdjustmentView(Guid Id, Guid CourierId, long AmountCents, string Currency, string Reason, DateTimeOffset At, bool Replayed);
