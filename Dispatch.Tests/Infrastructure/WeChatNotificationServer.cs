namespace Dispatch.Tests.Infrastructure;

/// <summary>A <see cref="NotificationServer"/> sending through the WeChatTemplate adapter to a real <see cref="SmsGateway"/>'s WeChat endpoint.</summary>
public sealed class WeChatNotificationServer : NotificationServer, IAsyncLifetime
{
    public const string AccessToken = "wechat-test-token";
    public const string CourierFoundTemplate = "tmpl-courier-found";

    public SmsGateway Gateway { get; private set; } = null!;

    public new async ValueTask InitializeAsync()
    {
        Gateway = await SmsGateway.StartAsync();
        await base.InitializeAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Gateway.DisposeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Notifications:Channel"] = "WeChatTemplate";
        settings["Notifications:WeChat:ApiUrl"] = Gateway.WeChatUrl.ToString();
        settings["Notifications:WeChat:AccessToken"] = AccessToken;
        settings["Notifications:WeChat:TemplateIds:CourierFound"] = CourierFoundTemplate;
    }
}
