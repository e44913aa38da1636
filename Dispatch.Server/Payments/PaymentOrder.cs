namespace Dispatch.Server.Payments;

/// <summary>
/// A payment to start: <paramref name="PaymentId"/> is the merchant trade number given to the provider (32 hex digits), so a
/// notification finds its try. <paramref name="Channel"/> picks the provider's product (WeChat: jsapi or h5; Alipay:
/// precreate for a QR code or create for a buyer id); <paramref name="Payer"/> is the WeChat openid or Alipay buyer id.
/// </summary>
internal sealed record PaymentOrder(Guid PaymentId, string OrderNumber, int Cents, string Currency, string Description, string? Channel, string? Payer, string? PayerIp);
