namespace Dispatch.Tests.Infrastructure;

/// <summary>An <see cref="OutboxServer"/> whose relay (and any second relay it starts) runs two workers: Outbox:Workers 2.</summary>
public sealed class TwoWorkerOutboxServer : OutboxServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Outbox:Workers"] = "2"; // the default, set here so the test keeps two if the default changes
    }
}
