namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// <see cref="WebhookServer"/> whose sender polls only once a minute and sends one delivery at a time (at most 17 in
/// flight): whatever a test sees within seconds was woken by an event, not found by the poll.
/// </summary>
public sealed class SlowPollWebhookServer : WebhookServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Webhooks:PollMilliseconds"] = "60000";
        settings["Webhooks:Parallelism"] = "1";
    }
}
