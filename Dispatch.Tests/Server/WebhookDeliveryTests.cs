using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Webhooks;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Merchant webhooks end to end on the real server and PostgreSQL: committed outbox events go through the real relay to
/// the webhook consumer and sender, and arrive at a real HTTP receiver in the test, signed, in order per order; a failing
/// receiver is retried, dead-lettered and redelivered on request.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookServer server) : IClassFixture<WebhookServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Events_arrive_signed_and_in_order_per_order_even_when_an_early_one_needs_a_retry()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-order-{Guid.NewGuid():N}";
        var hook = await RegisterAsync(merchant, receiver.UrlFor("/hooks/order"));
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        // The first event of order A fails once: A's later events must wait for its retry; B's need not.
        receiver.Answer = r => r.OrderId == a && r.Status == "paid" && r.Header("Dispatch-Attempt") == "1" ? 500 : 200;
        OrderStatus[] path = [OrderStatus.Paid, OrderStatus.Dispatching, OrderStatus.Offered, OrderStatus.Accepted, OrderStatus.ArrivedAtPickup];
        for (var i = 0; i < path.Length; i++)
        {
            var from = i == 0 ? OrderStatus.Placed : path[i - 1];
            await server.CommitEventsAsync(
                (OutboxKinds.OrderStatus, a, Moved(a, 101, merchant, from, path[i], courier: i >= 3)),
                (OutboxKinds.OrderStatus, b, Moved(b, 102, merchant, from, path[i], courier: i >= 3)));
        }

        var delivered = new Dictionary<Guid, List<string>> { [a] = [], [b] = [] };
        var seen = new HashSet<Guid>();
        while (delivered[a].Count < path.Length || delivered[b].Count < path.Length)
        {
            var r = await receiver.Received.NextAsync(timeout: Wait, what: "a webhook");
            Assert.Equal("POST", r.Method);
            Assert.True(SignatureHolds(hook.Secret, r), $"signature of {r.Body} with {r.Header("Dispatch-Signature")}");
            Assert.Equal(r.EventId.ToString(), r.Header("Dispatch-Event-Id"));
            Assert.Equal("order.status", r.Header("Dispatch-Event-Type"));
            Assert.StartsWith("application/json", r.Header("Content-Type"), StringComparison.Ordinal);
            if (r.AnsweredWith != 200) continue;
            Assert.True(seen.Add(r.EventId), $"event {r.EventId} delivered twice");
            delivered[r.OrderId].Add(r.Status);
            // In order: whatever has arrived for the order so far is a prefix of its path.
            var expected = path.Take(delivered[r.OrderId].Count).Select(s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString()));
            Assert.Equal(expected, delivered[r.OrderId]);
        }
    }

    [Fact]
    public async Task The_body_tells_the_merchant_what_changed_and_nothing_about_the_courier_or_customer()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-body-{Guid.NewGuid():N}";
        await RegisterAsync(merchant, receiver.UrlFor("/hooks/body"));
        var order = Guid.NewGuid();
        var courier = Guid.NewGuid();
        var moved = new OrderMoved(order, 4242, merchant, "monaco", OrderStatus.InTransit, OrderStatus.Failed, null, courier,
            DateTimeOffset.Parse("2026-12-06T12:00:00Z", CultureInfo.InvariantCulture), "dispatcher:d-1", "scooter crashed");
        await server.CommitEventsAsync((OutboxKinds.OrderStatus, order, moved));

        var r = await receiver.Received.NextAsync(timeout: Wait, what: "the failed order's webhook");
        var data = r.Json.GetProperty("data");
        Assert.Equal("order.status", r.Json.GetProperty("type").GetString());
        Assert.Equal("D-004242", data.GetProperty("number").GetString());
        Assert.Equal("failed", data.GetProperty("status").GetString());
        Assert.Equal("inTransit", data.GetProperty("previousStatus").GetString());
        Assert.False(data.GetProperty("courierAssigned").GetBoolean());
        Assert.Equal("scooter crashed", data.GetProperty("reason").GetString());
        Assert.DoesNotContain(courier.ToString(), r.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("dispatcher:d-1", r.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("monaco", r.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_then_dead_lettered_which_unblocks_the_order_and_a_redelivery_sends_it_again()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-dead-{Guid.NewGuid():N}";
        var hook = await RegisterAsync(merchant, receiver.UrlFor("/hooks/dead"));
        var order = Guid.NewGuid();
        receiver.Answer = r => r.Status == "paid" ? 503 : 200;
        await server.CommitEventsAsync(
            (OutboxKinds.OrderStatus, order, Moved(order, 7, merchant, OrderStatus.Placed, OrderStatus.Paid)),
            (OutboxKinds.OrderStatus, order, Moved(order, 7, merchant, OrderStatus.Paid, OrderStatus.Dispatching)));

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var failed = await receiver.Received.NextAsync(timeout: Wait, what: $"attempt {attempt} of the paid event");
            Assert.Equal("paid", failed.Status);
            Assert.Equal(attempt.ToString(CultureInfo.InvariantCulture), failed.Header("Dispatch-Attempt"));
        }
        // Dead after the third attempt, and only then the order's next event goes out.
        var next = await receiver.Received.NextAsync(timeout: Wait, what: "the dispatching event after the dead letter");
        Assert.Equal("dispatching", next.Status);
        var dead = Assert.Single(await DeliveriesAsync(merchant, hook.Id, "dead"));
        Assert.Equal(3, dead.GetProperty("attempts").GetInt32());
        Assert.Equal(503, dead.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal("HTTP 503", dead.GetProperty("lastError").GetString());
        await Eventually.WaitForAsync(async () => (await DeliveriesAsync(merchant, hook.Id, "delivered")).Count, n => n == 1, "the dispatching event logged as delivered");

        receiver.Answer = _ => 200;
        using var redeliver = await CallAsync(HttpMethod.Post, $"/api/webhooks/deliveries/{dead.GetProperty("id").GetInt64()}/redeliver", merchant);
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        var again = await receiver.Received.NextAsync(timeout: Wait, what: "the redelivered paid event");
        Assert.Equal("paid", again.Status);
        Assert.Equal(dead.GetProperty("eventId").GetGuid(), again.EventId);
        Assert.True(SignatureHolds(hook.Secret, again));
        await Eventually.WaitForAsync(async () => (await DeliveriesAsync(merchant, hook.Id, "delivered")).Count, n => n == 2, "both events logged as delivered");
        Assert.Empty(await DeliveriesAsync(merchant, hook.Id, "dead"));
    }

    [Fact]
    public async Task A_delivery_locked_by_another_node_is_skipped_not_waited_for_and_sent_once_it_is_free()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-locked-{Guid.NewGuid():N}";
        var hook = await RegisterAsync(merchant, receiver.UrlFor("/hooks/locked"));
        var (held, free) = (Guid.NewGuid(), Guid.NewGuid());
        // Both queued but leased (as if another node had them), then one is locked by "another node's claim" here.
        var heldId = await InsertLeasedAsync(hook.Id, held);
        var freeId = await InsertLeasedAsync(hook.Id, free);
        await using var otherNode = await server.Db.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var claim = await otherNode.BeginTransactionAsync(TestContext.Current.CancellationToken);
        // KEY SHARE lets the update below through, yet a claim's FOR UPDATE must skip the row (or, without SKIP LOCKED, wait).
        await using (var lockRow = new Npgsql.NpgsqlCommand("select 1 from webhook_deliveries where id = $1 for key share", otherNode, claim))
        {
            lockRow.Parameters.Add(new Npgsql.NpgsqlParameter { Value = heldId });
            await lockRow.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        Assert.Equal(2, await server.ScalarAsync("with u as (update webhook_deliveries set leased_until = null where id = any($1) returning 1) select count(*) from u",
            new[] { heldId, freeId }));
        server.Services.GetRequiredService<WebhookSender>().Wake();

        var first = await receiver.Received.NextAsync(timeout: Wait, what: "the free delivery while the other is locked");
        Assert.Equal(free, first.OrderId);
        Assert.Equal(0, await server.ScalarAsync("select attempts from webhook_deliveries where id = $1", heldId)); // skipped, not claimed

        await claim.RollbackAsync(TestContext.Current.CancellationToken);
        var second = await receiver.Received.NextAsync(timeout: Wait, what: "the delivery once its lock is gone");
        Assert.Equal(held, second.OrderId);
    }

    private async Task<long> InsertLeasedAsync(Guid endpoint, Guid order)
    {
        var eventId = Guid.NewGuid();
        var body = $$$"""{"id":"{{{eventId}}}","type":"order.status","createdAt":"2026-12-06T12:00:00+00:00","data":{"orderId":"{{{order}}}","status":"paid"}}""";
        return await server.ScalarAsync("""
            insert into webhook_deliveries (endpoint_id, event_id, event_type, order_id, sequence, body, state, attempts, next_attempt_at, leased_until, created_at)
            values ($1, $2, 'order.status', $3, 1, $4, 0, 0, now() - interval '1 second', now() + interval '1 hour', now()) returning id
            """, endpoint, eventId, order, body);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_in_time_counts_as_a_failed_attempt_and_is_retried()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-slow-{Guid.NewGuid():N}";
        var hook = await RegisterAsync(merchant, receiver.UrlFor("/hooks/slow"));
        receiver.Answer = r => r.Header("Dispatch-Attempt") == "1" ? WebhookReceiver.NoAnswer : 200;
        var order = Guid.NewGuid();
        await server.CommitEventsAsync((OutboxKinds.OrderStatus, order, Moved(order, 11, merchant, OrderStatus.Placed, OrderStatus.Paid)));

        var first = await receiver.Received.NextAsync(timeout: Wait, what: "the first attempt");
        var second = await receiver.Received.NextAsync(timeout: Wait, what: "the retry after the timeout");
        Assert.Equal(first.EventId, second.EventId);
        Assert.Equal("2", second.Header("Dispatch-Attempt"));
        var gap = second.At - first.At;
        Assert.True(gap >= TimeSpan.FromSeconds(1.9), $"retried {gap.TotalSeconds:0.00} s after the first try, before the 2 s timeout");
        Assert.True(gap < TimeSpan.FromSeconds(6), $"retried {gap.TotalSeconds:0.00} s after the first try: the 2 s timeout was not applied");
        var logged = await Eventually.WaitForAsync(async () => await DeliveriesAsync(merchant, hook.Id, "delivered"), l => l.Count == 1, "the delivery logged as delivered");
        Assert.Equal(2, logged[0].GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task An_event_handed_over_twice_is_queued_once_per_endpoint()
    {
        server.RequireServices();
        var merchant = $"wh-idem-{Guid.NewGuid():N}";
        await RegisterAsync(merchant, "http://127.0.0.1:9/never", "order.status", "order.arriving");
        await RegisterAsync(merchant, "http://127.0.0.1:9/arriving-only", "order.arriving");
        var consumer = server.Services.GetServices<IOutboxConsumer>().OfType<WebhookConsumer>().Single();
        var order = Guid.NewGuid();
        var record = OutboxWriter.Create(OutboxKinds.OrderStatus, order, Moved(order, 9, merchant, OrderStatus.Placed, OrderStatus.Paid), DateTimeOffset.UtcNow);
        var e = new OutboxEvent(long.MaxValue - 1, record.EventId, record.Kind, order, record.CreatedAt, record.Payload);

        await consumer.HandleAsync([e], TestContext.Current.CancellationToken);
        await consumer.HandleAsync([e], TestContext.Current.CancellationToken);

        Assert.Equal(1, await server.ScalarAsync("select count(*) from webhook_deliveries where event_id = $1", e.EventId));
    }

    [Fact]
    public async Task Two_nodes_share_the_deliveries_and_claim_each_once_keeping_each_order_in_order()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = $"wh-nodes-{Guid.NewGuid():N}";
        await RegisterAsync(merchant, receiver.UrlFor("/hooks/nodes"));
        await using var second = await ExtraNode.StartAsync(ExtraNode.SettingsOf(server, new Dictionary<string, string?>
        {
            ["Webhooks:PollMilliseconds"] = "50",
            ["Outbox:PollMilliseconds"] = "50",
        }));
        var orders = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToArray();
        OrderStatus[] path = [OrderStatus.Paid, OrderStatus.Dispatching, OrderStatus.Offered];
        for (var step = 0; step < path.Length; step++)
        {
            var from = step == 0 ? OrderStatus.Placed : path[step - 1];
            var to = path[step];
            await server.CommitEventsAsync([.. orders.Select((o, i) => (OutboxKinds.OrderStatus, o, (object)Moved(o, 1000 + i, merchant, from, to)))]);
        }

        var statuses = orders.ToDictionary(o => o, _ => new List<string>());
        var events = new HashSet<Guid>();
        for (var n = 0; n < orders.Length * path.Length; n++)
        {
            var r = await receiver.Received.NextAsync(timeout: Wait, what: $"webhook {n + 1} of {orders.Length * path.Length}");
            Assert.True(events.Add(r.EventId), $"event {r.EventId} sent twice");
            statuses[r.OrderId].Add(r.Status);
            Assert.Equal(path.Take(statuses[r.OrderId].Count).Select(s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString())), statuses[r.OrderId]);
        }
        // Claimed once each: a second claim of a delivery would have counted a second attempt.
        await Eventually.WaitForAsync(() => server.ScalarAsync("""
            select count(*) from webhook_deliveries d join webhook_endpoints w on w.id = d.endpoint_id
            where w.merchant_id = $1 and d.state = 1 and d.attempts = 1
            """, merchant), n => n == orders.Length * path.Length, "every delivery delivered on its first and only attempt");
        Assert.Empty(receiver.Received.Drain());
    }

    private static OrderMoved Moved(Guid order, long number, string merchant, OrderStatus from, OrderStatus to, bool courier = false) =>
        new(order, number, merchant, "monaco", from, to, courier ? Guid.NewGuid() : null, null, DateTimeOffset.UtcNow, "system:test", null);

    /// <summary>The receiver's check, written out here rather than calling the server's code: HMAC-SHA256(secret, "t.body") in hex.</summary>
    private static bool SignatureHolds(string secret, ReceivedWebhook r)
    {
        var parts = r.Header("Dispatch-Signature").Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var t = long.Parse(parts["t"], CultureInfo.InvariantCulture);
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t) > 300) return false;
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{r.Body}"));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac)), Encoding.ASCII.GetBytes(parts["v1"]));
    }

    private Task<RegisteredWebhook> RegisterAsync(string merchant, string url, params string[] events) =>
        WebhookEndpoints.RegisterAsync(server, merchant, url, events);

    private async Task<List<JsonElement>> DeliveriesAsync(string merchant, Guid endpoint, string state)
    {
        using var response = await CallAsync(HttpMethod.Get, $"/api/webhooks/{endpoint}/deliveries?state={state}", merchant);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).EnumerateArray()];
    }

    private async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, string merchant, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", await server.TokenAsync("merchant", merchant));
        if (body is not null) request.Content = JsonContent.Create(body, options: DispatchServer.Json);
        return await server.Http.SendAsync(request);
    }
}
