using System.Diagnostics.Metrics;
using Dispatch.Core.Orders;
using Dispatch.Server;
using Dispatch.Server.Outbox;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// When the sender's claim loop searches the pending deliveries: when deliveries were queued with no room to lease them,
/// or a recording may have left work (room freed while the loop was short of it, a retry), never merely because a result
/// was recorded or a delivery was queued behind one of its order. Counted by the server's dispatch.webhooks.searches; the poll is a minute, so it plays no part.
/// </summary>
public sealed class WebhookClaimWakeTests(SlowPollWebhookServer server) : IClassFixture<SlowPollWebhookServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Recordings_that_hand_each_next_delivery_on_do_not_wake_the_search()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-wake-{Guid.NewGuid():N}";
        var hook = await WebhookEndpoints.RegisterAsync(server, merchant, receiver.UrlFor("/hooks/wake"));
        using var searches = new SearchCounter(server.Services.GetRequiredService<IMeterFactory>());
        var order = Guid.NewGuid();
        // The first delivery is held at the receiver until the four after it are queued (parked) behind it.
        using var release = new ManualResetEventSlim();
        receiver.Answer = r =>
        {
            if (r.Status == "paid") release.Wait(Wait, TestContext.Current.CancellationToken);
            return 200;
        };
        OrderStatus[] path = [OrderStatus.Placed, OrderStatus.Paid, OrderStatus.Dispatching, OrderStatus.Offered, OrderStatus.Accepted, OrderStatus.ArrivedAtPickup];
        await server.CommitEventsAsync([.. path.Skip(1).Select((to, i) => (OutboxKinds.OrderStatus, order, (object)Moved(order, 301, merchant, path[i], to)))]);
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from webhook_deliveries where endpoint_id = $1", hook.Id), n => n == path.Length - 1,
            "five deliveries queued");
        release.Set();

        for (var n = 1; n < path.Length; n++) await receiver.Received.NextAsync(timeout: Wait, what: $"webhook {n} of {path.Length - 1}");
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from webhook_deliveries where endpoint_id = $1 and state = 1", hook.Id),
            n => n == path.Length - 1, "five deliveries recorded as delivered");
        // The four were queued behind the first, not for want of room, and each of the five recordings handed the next on
        // itself: nothing called for a search (one is allowed for the start's own look, should it have come this late).
        Assert.InRange(searches.Count, 0, 1);
    }

    [Fact]
    public async Task Deliveries_queued_beyond_the_room_in_flight_are_sent_as_recordings_free_room()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-room-{Guid.NewGuid():N}";
        var hook = await WebhookEndpoints.RegisterAsync(server, merchant, receiver.UrlFor("/hooks/room"));
        // 40 orders' events in one batch: 17 fit in flight (Parallelism 1), the other 23 wait for room, with no poll to find them.
        var events = Enumerable.Range(0, 40).Select(i => Guid.NewGuid())
            .Select((order, i) => (OutboxKinds.OrderStatus, order, (object)Moved(order, 400 + i, merchant, OrderStatus.Placed, OrderStatus.Paid))).ToArray();
        await server.CommitEventsAsync(events);

        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from webhook_deliveries where endpoint_id = $1 and state = 1", hook.Id),
            n => n == events.Length, "all 40 delivered well before the minute's poll", Wait);
    }

    private static OrderMoved Moved(Guid order, long number, string merchant, OrderStatus from, OrderStatus to) =>
        new(order, number, merchant, "monaco", from, to, null, null, DateTimeOffset.UtcNow, "system:test", null);

    /// <summary>dispatch.webhooks.searches of one server (its meter factory's meter), from creation on.</summary>
    private sealed class SearchCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public SearchCounter(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DispatchMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "dispatch.webhooks.searches")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
