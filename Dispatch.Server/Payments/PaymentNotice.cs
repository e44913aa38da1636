namespace Dispatch.Server.Payments;

/// <summary>
/// A verified notification: which try (<paramref name="PaymentId"/>, from the trade number), what the provider says happened,
/// how much in cents and which currency it says was paid, and the provider's transaction id.
/// </summary>
internal sealed record PaymentNotice(Guid PaymentId, NoticeStatus Status, long? Cents, string? Currency, string? ProviderRef, string Detail);
