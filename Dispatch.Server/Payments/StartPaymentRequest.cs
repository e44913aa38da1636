namespace Dispatch.Server.Payments;

/// <summary>Body of POST /api/orders/{id}/payments: the provider, its product (jsapi, h5, native, precreate, create) and the payer's id there.</summary>
internal sealed record StartPaymentRequest(string? Provider, string? Channel, string? Payer);
