using System.Collections.Concurrent;
using Dispatch.Server;
using Dispatch.Server.Common;
using Dispatch.Server.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A <see cref="FaultyLoopServer"/> whose relay hands events to a <see cref="RecordingConsumer"/> (<see cref="Consumer"/>),
/// polls only once a minute (so a relay that is not woken by NOTIFY shows), and claims small batches (so thousands of events
/// take many rounds) with one worker, measures the lag every 100 ms (warning past 1 s) and purges every second, 10 rows a statement.
/// <see cref="StartRelayAsync"/> adds another relay over the same database, as a second node would.
/// </summary>
public class OutboxServer : FaultyLoopServer
{
    public const int BatchSize = 100;

    internal ConcurrentQueue<OutboxDelivery> Deliveries { get; } = new();

    internal RecordingConsumer Consumer { get; }

    public OutboxServer() => Consumer = new RecordingConsumer("node-a", Deliveries);

    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["Outbox:PollMilliseconds"] = "60000";
        settings["Outbox:BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // One worker: these tests count claims and idle claiming transactions exactly; TwoWorkerOutboxServer runs two.
        settings["Outbox:Workers"] = "1";
        settings["Outbox:LagCheckMilliseconds"] = "100";
        settings["Logging:LogLevel:Dispatch.Server.Outbox"] = "Information";
        settings["Outbox:LagWarningSeconds"] = "1";
        settings["Outbox:PurgeIntervalSeconds"] = "1";
        settings["Outbox:PurgeBatchSize"] = "10";
    }

    protected override void ConfigureBuilder(WebApplicationBuilder builder)
    {
        base.ConfigureBuilder(builder);
        builder.Services.AddSingleton<IOutboxConsumer>(Consumer);
    }

    /// <summary>A second relay on this database with its own consumer, running until disposed.</summary>
    internal async Task<SecondRelay> StartRelayAsync(RecordingConsumer consumer)
    {
        var relay = new OutboxRelay(Db, [consumer], Services.GetRequiredService<IOptions<OutboxOptions>>(), Services.GetRequiredService<ResilientLoop>(),
            Services.GetRequiredService<DispatchMetrics>(), TimeProvider.System, Services.GetRequiredService<ILogger<OutboxRelay>>());
        await relay.StartAsync(CancellationToken.None);
        return new SecondRelay(relay);
    }

    internal sealed class SecondRelay(OutboxRelay relay) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await relay.StopAsync(CancellationToken.None);
            relay.Dispose();
        }
    }
}
