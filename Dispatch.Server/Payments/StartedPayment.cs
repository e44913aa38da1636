namespace Dispatch.Server.Payments;

/// <summary>Answer of POST /api/orders/{id}/payments: the try's id and what the payer's client needs (<paramref name="Client"/>).</summary>
internal sealed record StartedPayment(Guid PaymentId, Guid OrderId, string Provider, int AmountCents, string Currency, IReadOnlyDictionary<string, string> Client);
