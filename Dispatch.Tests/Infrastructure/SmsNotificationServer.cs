namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A <see cref="NotificationServer"/> whose customer messages go through the HttpSms adapter to a real <see cref="SmsGateway"/>
/// started first; two tries per message (1 s apart) before it is marked failed.
/// </summary>
public sealed class SmsNotificationServer : NotificationServer, IAsyncLifetime
{
    public const string ApiKey = "sms-test-key";

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
        settings["Notifications:Channel"] = "HttpSms";
        settings["Notifications:HttpSms:Url"] = Gateway.Url.ToString();
        settings["Notifications:HttpSms:ApiKey"] = ApiKey;
        settings["Notifications:MaxAttempts"] = "2";
    }
}
