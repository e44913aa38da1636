namespace Dispatch.Server.Payments;

/// <summary>Body of the payment provider's callback.</summary>
internal sealed record PaymentCallback(Guid? OrderId, string? Status, decimal? Amount, string? Currency = null);
