namespace Dispatch.Server.Payments;

/// <summary>One row of an order's payment history as GET /api/orders/{id}/payments shows it.</summary>
internal sealed record PaymentRowView(Guid Id, Guid? PaymentId, string Kind, string Provider, string Outcome, long? AmountCents, string? Currency, string Detail, DateTimeOffset At);
