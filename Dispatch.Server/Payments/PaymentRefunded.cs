using Dispatch.Core.Payments;

namespace Dispatch.Server.Payments;

/// <summary>Payload of <see cref="Outbox.OutboxKinds.PaymentRefunded"/>: this refund's cents, the order's total given back and its state.</summary>
internal sealed record PaymentRefunded(Guid OrderId, long Number, string MerchantId, Guid RefundId, int Cents, int RefundedCents, string Currency, PaymentState State, DateTimeOffset At);
