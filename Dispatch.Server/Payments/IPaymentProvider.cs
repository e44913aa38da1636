namespace Dispatch.Server.Payments;

/// <summary>
/// One payment provider: starts a payment (what the payer's client needs to pay), reads its signed notifications, and
/// gives money back. Adapters only translate and verify; <see cref="PaymentCoordinator"/> decides and stores.
/// </summary>
internal interface IPaymentProvider
{
    /// <summary>The provider's name on orders and payment rows: sandbox, wechat, alipay.</summary>
    string Name { get; }

    Task<ProviderResult<PaymentStart>> StartAsync(PaymentOrder order, CancellationToken ct);

    /// <summary>Verifies and reads a notification as it arrived (headers and raw body); a bad signature is an error, never a notice.</summary>
    ProviderResult<PaymentNotice> ReadNotification(IReadOnlyDictionary<string, string> headers, byte[] body);

    Task<ProviderResult<string>> RefundAsync(RefundOrder refund, CancellationToken ct);
}
