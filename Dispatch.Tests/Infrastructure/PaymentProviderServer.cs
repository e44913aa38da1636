namespace Dispatch.Tests.Infrastructure;

/// <summary>A <see cref="DispatchServer"/> with the WeChat Pay and Alipay adapters switched on against a <see cref="PaymentProviderFake"/>.</summary>
public sealed class PaymentProviderServer : DispatchServer, IAsyncLifetime
{
    public const string AlipayAppId = "2021000000000001";

    public PaymentProviderFake Fake { get; private set; } = null!;

    public new async ValueTask InitializeAsync()
    {
        Fake = await PaymentProviderFake.StartAsync();
        await base.InitializeAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fake.DisposeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings) => UseFake(Fake, settings);

    /// <summary>Switches the WeChat Pay and Alipay adapters on against <paramref name="fake"/>.</summary>
    public static void UseFake(PaymentProviderFake fake, Dictionary<string, string?> settings)
    {
        settings["Payments:WeChat:MchId"] = "1900000001";
        settings["Payments:WeChat:AppId"] = "wxtestapp";
        settings["Payments:WeChat:ApiV3Key"] = fake.ApiV3Key;
        settings["Payments:WeChat:MerchantPrivateKeyPem"] = fake.MerchantKey.ExportPkcs8PrivateKeyPem();
        settings["Payments:WeChat:MerchantSerialNo"] = "MERCHANT-SERIAL-1";
        settings["Payments:WeChat:PlatformPublicKeyPem"] = fake.PlatformKey.ExportSubjectPublicKeyInfoPem();
        settings["Payments:WeChat:PlatformSerialNo"] = "PLATFORM-SERIAL-1";
        settings["Payments:WeChat:ApiBaseUrl"] = fake.Url.ToString();
        settings["Payments:WeChat:NotifyUrl"] = "https://dispatch.example/api/payments/wechat/notify";
        settings["Payments:Alipay:AppId"] = AlipayAppId;
        settings["Payments:Alipay:AppPrivateKeyPem"] = fake.AppKey.ExportPkcs8PrivateKeyPem();
        settings["Payments:Alipay:AlipayPublicKeyPem"] = fake.AlipayKey.ExportSubjectPublicKeyInfoPem();
        settings["Payments:Alipay:GatewayUrl"] = new Uri(fake.Url, "/gateway.do").ToString();
        settings["Payments:Alipay:NotifyUrl"] = "https://dispatch.example/api/payments/alipay/notify";
    }
}
