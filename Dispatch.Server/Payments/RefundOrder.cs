namespace Dispatch.Server.Payments;

/// <summary>Money to give back on a paid try: <paramref name="RefundId"/> is the merchant refund number (idempotent at the provider).</summary>
internal sealed record RefundOrder(Guid RefundId, Guid PaymentId, string? ProviderRef, int Cents, int TotalCents, string Currency, string Reason);
