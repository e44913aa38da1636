using System.Diagnostics.Metrics;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Server;
using Dispatch.Server.Outbox;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// How the sender takes deliveries without searching for them: the first of an order is leased by the statement that
/// queues it, and the next ones by the statement that records the one before as delivered, never while that one is still
/// in flight. Counted by the server's dispatch.webhooks.claimed counter (this server's meter only).
/// </summary>
public sealed class WebhookHandOnTests(WebhookServer server) : IClassFixture<WebhookServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_orders_first_delivery_is_sent_as_queued_and_each_next_one_is_handed_on_by_the_recording_of_the_one_before()
    {
        server.RequireServices();
        using var claimed = new ClaimCounter(server.Services.GetRequiredService<IMeterFactory>());
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-handon-{Guid.NewGuid():N}";
        var hook = await WebhookEndpoints.RegisterAsync(server, merchant, receiver.UrlFor("/hooks/hand-on"));
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        // A's first event is held at the receiver until A's later ones are queued behind it.
        using var release = new ManualResetEventSlim();
        receiver.Answer = r =>
        {
            if (r.OrderId == a && r.Status == "paid") release.Wait(Wait, TestContext.Current.CancellationToken);
            return 200;
        };
        OrderStatus[] path = [OrderStatus.Paid, OrderStatus.Dispatching, OrderStatus.Offered];
        await server.CommitEventsAsync(
            (OutboxKinds.OrderStatus, a, Moved(a, 201, merchant, OrderStatus.Placed, path[0])),
            (OutboxKinds.OrderStatus, b, Moved(b, 202, merchant, OrderStatus.Placed, path[0])),
            (OutboxKinds.OrderStatus, a, Moved(a, 201, merchant, path[0], path[1])),
            (OutboxKinds.OrderStatus, a, Moved(a, 201, merchant, path[1], path[2])));

        // A's later deliveries are queued but not leased while its first is in flight.
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from webhook_deliveries where endpoint_id = $1", hook.Id), n => n == 4,
            "four deliveries queued");
        Assert.Equal(0, await server.ScalarAsync("""
            select count(*) from webhook_deliveries where endpoint_id = $1 and order_id = $2 and (attempts > 0 or leased_until is not null) and sequence > (
              select min(sequence) from webhook_deliveries where endpoint_id = $1 and order_id = $2)
            """, hook.Id, a));
        release.Set();

        var statuses = new Dictionary<Guid, List<string>> { [a] = [], [b] = [] };
        for (var n = 0; n < 4; n++)
        {
            var r = await receiver.Received.NextAsync(timeout: Wait, what: $"webhook {n + 1} of 4");
            Assert.Equal("1", r.Header("Dispatch-Attempt"));
            statuses[r.OrderId].Add(r.Status);
        }
        Assert.Equal(path.Select(s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString())), statuses[a]);
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from webhook_deliveries where endpoint_id = $1 and state = 1", hook.Id),
            n => n == 4, "four deliveries recorded as delivered");
        // A's and B's first were leased as queued; A's second and third by the recording of the one before; none needed a claim.
        Assert.Equal(2, claimed.Of("queued"));
        Assert.Equal(2, claimed.Of("handed_on"));
        Assert.Equal(0, claimed.Of("claim"));
    }

    private static OrderMoved Moved(Guid order, long number, string merchant, OrderStatus from, OrderStatus to) =>
        new(order, number, merchant, "monaco", from, to, null, null, DateTimeOffset.UtcNow, "system:test", null);

    /// <summary>dispatch.webhooks.claimed of one server (its meter factory's meter), by the "by" tag, from creation on.</summary>
    private sealed class ClaimCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

        public ClaimCounter(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DispatchMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "dispatch.webhooks.claimed")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var by = "";
                foreach (var tag in tags) if (tag.Key == "by") by = tag.Value as string ?? "";
                lock (_counts) _counts[by] = _counts.GetValueOrDefault(by) + value;
            });
            _listener.Start();
        }

        public long Of(string by)
        {
            lock (_counts) return _counts.GetValueOrDefault(by);
        }

        public void Dispose() => _listener.Dispose();
    }
}
