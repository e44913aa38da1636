namespace Dispatch.Server.Payments;

/// <summary>Alipay open platform settings ("Payments:Alipay"); the adapter is on when <see cref="AppId"/> is set.</summary>
internal sealed class AlipayOptions
{
    public string AppId { get; set; } = "";

    /// <summary>The application's private key (PEM) that signs requests (RSA2: SHA256withRSA).</summary>
    public string AppPrivateKeyPem { get; set; } = "";

    /// <summary>Alipay's public key (PEM) that async notifications are signed with.</summary>
    public string AlipayPublicKeyPem { get; set; } = "";

    public string GatewayUrl { get; set; } = "https://openapi.alipay.com/gateway.do";

    /// <summary>The public address of POST /api/payments/alipay/notify.</summary>
    public string NotifyUrl { get; set; } = "";

    public bool Enabled => AppId.Length > 0;
}
