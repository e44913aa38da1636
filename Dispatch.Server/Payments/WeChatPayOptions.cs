namespace Dispatch.Server.Payments;

/// <summary>WeChat Pay API v3 merchant settings ("Payments:WeChat"); the adapter is on when <see cref="MchId"/> is set.</summary>
internal sealed class WeChatPayOptions
{
    public string MchId { get; set; } = "";

    /// <summary>The official account or mini program the payer's openid belongs to.</summary>
    public string AppId { get; set; } = "";

    /// <summary>The APIv3 key (32 characters): decrypts the notifications' AEAD_AES_256_GCM resource.</summary>
    public string ApiV3Key { get; set; } = "";

    /// <summary>The merchant API private key (PEM), which signs requests to WeChat Pay and the JSAPI pay parameters.</summary>
    public string MerchantPrivateKeyPem { get; set; } = "";

    /// <summary>Serial number of the merchant API certificate, sent in the Authorization header.</summary>
    public string MerchantSerialNo { get; set; } = "";

    /// <summary>The WeChat Pay platform public key (PEM) that notifications are signed with.</summary>
    public string PlatformPublicKeyPem { get; set; } = "";

    /// <summary>Its serial (Wechatpay-Serial header); empty = not checked.</summary>
    public string PlatformSerialNo { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://api.mch.weixin.qq.com";

    /// <summary>The public HTTPS address of POST /api/payments/wechat/notify, given to WeChat Pay with each order.</summary>
    public string NotifyUrl { get; set; } = "";

    public bool Enabled => MchId.Length > 0;
}
