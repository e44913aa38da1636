namespace Dispatch.Tests.Infrastructure;

/// <summary>A <see cref="WebhookServer"/> that sends webhooks to public addresses only, as a production node does.</summary>
public sealed class PublicOnlyWebhookServer : WebhookServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Webhooks:AllowPrivateAddresses"] = "false";
    }
}
