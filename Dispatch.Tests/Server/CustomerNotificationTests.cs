using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Customer messages off the tracking page, on the real server, PostgreSQL and relay, through the Log adapter: committed
/// outbox events (written here as the transition path will) become exactly the messages a customer should get, once each,
/// in their language with their link and the phone masked in the log; a late order is told once; a quiet night holds.
/// </summary>
public sealed class CustomerNotificationTests(NotificationServer server) : IClassFixture<NotificationServer>
{
    private const string FullPhone = "+377612345570";
    private const string MaskedPhone = "377******570";

    [Fact]
    public async Task A_delivered_order_tells_its_customer_courier_found_picked_up_arriving_and_delivered_in_their_language()
    {
        server.RequireServices();
        var order = await CreateAsync(language: "fr");
        var number = Number(order);
        await Move(order, number, OrderStatus.Paid, OrderStatus.Dispatching);
        await Move(order, number, OrderStatus.Dispatching, OrderStatus.Offered);
        await Move(order, number, OrderStatus.Offered, OrderStatus.Dispatching); // a decline
        await Move(order, number, OrderStatus.Dispatching, OrderStatus.Offered);
        await Move(order, number, OrderStatus.Offered, OrderStatus.Accepted);
        await Move(order, number, OrderStatus.Accepted, OrderStatus.ArrivedAtPickup);
        await Move(order, number, OrderStatus.ArrivedAtPickup, OrderStatus.PickedUp);
        await Move(order, number, OrderStatus.PickedUp, OrderStatus.InTransit);
        await OutboxEvents.ArrivingAsync(server, order.Id, number);
        await Move(order, number, OrderStatus.InTransit, OrderStatus.ArrivedAtDropoff);
        await Move(order, number, OrderStatus.ArrivedAtDropoff, OrderStatus.Delivered);

        var lines = await Eventually.WaitForAsync(() => Task.FromResult(server.MessagesFor(order.Number)), l => l.Any(x => x.Contains("(Delivered)", StringComparison.Ordinal)),
            "the delivered message in the log");

        Assert.Equal(["CourierFound", "PickedUp", "Arriving", "Delivered"], lines.Select(Kind));
        Assert.All(lines, l => Assert.Contains($"Commande {order.Number} : ", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains($"{NotificationServer.PublicBase}/track/{order.TrackingToken}", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains($"to {MaskedPhone} in fr", l, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Log.Lines, l => l.Contains(FullPhone, StringComparison.Ordinal) || l.Contains("12345570", StringComparison.Ordinal));
        Assert.Equal(4, await server.ScalarAsync("select count(*) from customer_notifications where order_id = $1 and status = 1 and channel = 'Log'", order.Id));
        // Each was leased as it was queued (due a lease after it was created; a claim leases from its own later time) and sent
        // on that first try.
        var lease = server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Dispatch.Server.Notifications.Customers.CustomerNotificationOptions>>().Value.LeaseSeconds;
        Assert.Equal(4, await server.ScalarAsync(
            "select count(*) from customer_notifications where order_id = $1 and attempts = 1 and due_at = created_at + make_interval(secs => $2)", order.Id, lease));
    }

    [Fact]
    public async Task A_message_leased_as_it_was_queued_but_never_sent_goes_out_once_its_lease_runs_out()
    {
        server.RequireServices();
        var order = await CreateAsync();
        var now = DateTimeOffset.UtcNow;
        // What a node that died right after queuing leaves: the row leased to it (until a moment ago), never handed on.
        await using (var connection = await server.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync(TestContext.Current.CancellationToken))
        {
            var (added, leased) = await Dispatch.Server.Notifications.Customers.CustomerNoticeConsumer.InsertAsync(connection,
                [new(order.Id, Dispatch.Core.Notifications.CustomerNoticeKind.PickedUp, Guid.NewGuid(), false, now.AddSeconds(-1), Attempts: 1)], now,
                TestContext.Current.CancellationToken);
            Assert.Equal(1, added);
            Assert.Single(leased);
        }

        var lines = await Eventually.WaitForAsync(() => Task.FromResult(server.MessagesFor(order.Number)), l => l.Count > 0, "the message claimed after its lease");

        Assert.Equal(["PickedUp"], lines.Select(Kind));
        Assert.Equal(2, await server.ScalarAsync("select attempts from customer_notifications where order_id = $1 and status = 1", order.Id));
    }

    [Fact]
    public async Task A_failed_order_tells_courier_found_picked_up_and_failed_and_nothing_else()
    {
        server.RequireServices();
        var order = await CreateAsync(language: "zh-Hans");
        var number = Number(order);
        await Move(order, number, OrderStatus.Offered, OrderStatus.Accepted);
        await Move(order, number, OrderStatus.Accepted, OrderStatus.ArrivedAtPickup);
        await Move(order, number, OrderStatus.ArrivedAtPickup, OrderStatus.PickedUp);
        await Move(order, number, OrderStatus.PickedUp, OrderStatus.InTransit);
        await Move(order, number, OrderStatus.InTransit, OrderStatus.Failed, note: "scooter crashed, sorbet lost");

        var lines = await Eventually.WaitForAsync(() => Task.FromResult(server.MessagesFor(order.Number)), l => l.Any(x => x.Contains("(Failed)", StringComparison.Ordinal)),
            "the failed message in the log");

        Assert.Equal(["CourierFound", "PickedUp", "Failed"], lines.Select(Kind));
        Assert.Contains($"订单 {order.Number}：很抱歉，您的订单未能送达。", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("scooter", StringComparison.Ordinal)); // the dispatcher's reason is staff-facing
    }

    [Fact]
    public async Task A_replayed_event_or_a_second_event_of_a_kind_sends_nothing_twice()
    {
        server.RequireServices();
        var order = await CreateAsync();
        var number = Number(order);
        var accepted = await Move(order, number, OrderStatus.Offered, OrderStatus.Accepted);
        var consumer = server.Services.GetServices<IOutboxConsumer>().Single(c => c.Name == "customer-notifications");
        var replay = new OutboxEvent(accepted.Id, accepted.EventId, accepted.Kind, accepted.OrderId, accepted.CreatedAt, accepted.Payload);
        await consumer.HandleAsync([replay], TestContext.Current.CancellationToken); // the relay handing a batch over again
        await consumer.HandleAsync([replay], TestContext.Current.CancellationToken);
        await Move(order, number, OrderStatus.Accepted, OrderStatus.Dispatching); // a release, then another courier
        await Move(order, number, OrderStatus.Dispatching, OrderStatus.Accepted);
        await Move(order, number, OrderStatus.ArrivedAtDropoff, OrderStatus.Delivered);
        await Move(order, number, OrderStatus.ArrivedAtDropoff, OrderStatus.Delivered); // a duplicate delivery event

        // The relay hands an order's events over in order: once the last one is sent, every earlier one was handled.
        var lines = await Eventually.WaitForAsync(() => Task.FromResult(server.MessagesFor(order.Number)), l => l.Any(x => x.Contains("(Delivered)", StringComparison.Ordinal)),
            "the delivered message in the log");
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from outbox where order_id = $1 and processed_at is null", order.Id), n => n == 0,
            "every event of the order relayed");

        Assert.Equal(["CourierFound", "Delivered"], server.MessagesFor(order.Number).Select(Kind));
        Assert.Equal(2, await server.ScalarAsync("select count(*) from customer_notifications where order_id = $1", order.Id));
        Assert.Equal(["CourierFound", "Delivered"], lines.Select(Kind));
    }

    [Fact]
    public async Task A_late_order_tells_its_customer_once_and_an_order_on_time_says_nothing()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("notify-late", DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var late = await CreateAsync();
        var onTime = await CreateAsync();
        await CarryAsync(late.Id, courier.Id, DateTimeOffset.UtcNow.AddMinutes(-20)); // promised 20 min ago, ~4 min away
        await CarryAsync(onTime.Id, courier.Id, DateTimeOffset.UtcNow.AddMinutes(60));

        await Eventually.WaitForAsync(() => Task.FromResult(server.MessagesFor(late.Number)), l => l.Count > 0, "the delayed message");
        // Another late order told after the first proves the sweep ran again since; the first is still told once.
        var later = await CreateAsync();
        await CarryAsync(later.Id, courier.Id, DateTimeOffset.UtcNow.AddMinutes(-30));
        await Eventually.WaitForAsync(() => Task.FromResult(server.MessagesFor(later.Number)), l => l.Count > 0, "the second order's delayed message");

        var lines = server.MessagesFor(late.Number);
        Assert.Equal(["Delayed"], lines.Select(Kind));
        Assert.Contains($"Order {late.Number}: sorry, your delivery is running late.", lines[0], StringComparison.Ordinal);
        Assert.Empty(server.MessagesFor(onTime.Number));
    }

    [Fact]
    public async Task A_quiet_night_holds_a_frozen_morning_pickups_message_until_the_night_ends()
    {
        server.RequireServices();
        var monaco = TimeZoneInfo.FindSystemTimeZoneById("Europe/Monaco");
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, monaco).Date;
        // UTC values: Npgsql writes timestamptz only from offset 0.
        DateTimeOffset Local(DateTime day, int hour, int minute = 0) => new DateTimeOffset(day.AddHours(hour).AddMinutes(minute), monaco.GetUtcOffset(day.AddHours(hour))).ToUniversalTime();
        var night = Local(today.AddDays(1), 23, 30); // tomorrow night: always ahead of the real clock
        var morning = Local(today.AddDays(2), 9);
        var held = await CreateAsync(kind: "frozen", merchant: NotificationServer.QuietMerchant);
        var noon = await CreateAsync(kind: "frozen", merchant: NotificationServer.QuietMerchant);
        var other = await CreateAsync(kind: "frozen");
        await server.ScalarAsync("update orders set ready_at = $2 where id = $1", held.Id, morning);
        await server.ScalarAsync("update orders set ready_at = $2 where id = $1", noon.Id, Local(today.AddDays(2), 12, 30));
        await server.ScalarAsync("update orders set ready_at = $2 where id = $1", other.Id, morning);

        await Move(held, Number(held), OrderStatus.Offered, OrderStatus.Accepted, NotificationServer.QuietMerchant, night);
        await Move(noon, Number(noon), OrderStatus.Offered, OrderStatus.Accepted, NotificationServer.QuietMerchant, night);
        await Move(other, Number(other), OrderStatus.Offered, OrderStatus.Accepted, "shop-1", night);

        await Eventually.WaitForAsync(() => Task.FromResult(server.MessagesFor(noon.Number).Count + server.MessagesFor(other.Number).Count), n => n == 2,
            "the messages of a noon pickup and of a merchant without quiet nights");
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from outbox where order_id = $1 and processed_at is null", held.Id), n => n == 0,
            "the held order's event relayed");
        Assert.Empty(server.MessagesFor(held.Number));
        var endOfNight = Local(today.AddDays(2), 7);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from customer_notifications where order_id = $1 and status = 0 and held and due_at = $2", held.Id, endOfNight));
    }

    [Fact]
    public async Task A_held_message_goes_out_when_the_night_ends_unless_later_news_made_it_stale()
    {
        server.RequireServices();
        var fresh = await CreateAsync(kind: "frozen");
        var stale = await CreateAsync(kind: "frozen");
        // As the consumer leaves them for a quiet night, with the night now over.
        await server.ScalarAsync("insert into customer_notifications (order_id, kind, status, held, due_at, attempts, created_at) values ($1, 'CourierFound', 0, true, now() + interval '1 hour', 0, now())", fresh.Id);
        await server.ScalarAsync("insert into customer_notifications (order_id, kind, status, held, due_at, attempts, created_at) values ($1, 'CourierFound', 0, true, now() + interval '1 hour', 0, now())", stale.Id);
        await server.ScalarAsync("insert into customer_notifications (order_id, kind, status, held, due_at, attempts, created_at) values ($1, 'PickedUp', 0, true, now() + interval '1 hour', 0, now())", stale.Id);
        await server.ScalarAsync("update customer_notifications set due_at = now() where order_id = any($1)", new[] { fresh.Id, stale.Id });

        await Eventually.WaitForAsync(() => Task.FromResult(server.MessagesFor(fresh.Number).Count + server.MessagesFor(stale.Number).Count), n => n == 2, "the held messages");
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from customer_notifications where order_id = any($1) and status = 0", new[] { fresh.Id, stale.Id }), n => n == 0,
            "every held message done");

        Assert.Equal(["CourierFound"], server.MessagesFor(fresh.Number).Select(Kind));
        Assert.Equal(["PickedUp"], server.MessagesFor(stale.Number).Select(Kind));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from customer_notifications where order_id = $1 and kind = 'CourierFound' and status = 4", stale.Id));
    }

    [Fact]
    public async Task The_customer_language_is_checked_stored_and_defaults_to_the_setting()
    {
        server.RequireServices();
        var token = await server.MerchantTokenAsync();
        var bad = await server.PostOrderAsync(Body(language: "de"), Guid.NewGuid().ToString(), token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("customerLanguage", problem.ToString(), StringComparison.Ordinal);
        var email = await server.PostOrderAsync(Body(email: "not an address"), Guid.NewGuid().ToString(), token);
        Assert.Equal(HttpStatusCode.BadRequest, email.StatusCode);
        Assert.Contains("customerEmail", (await email.Content.ReadFromJsonAsync<JsonElement>()).ToString(), StringComparison.Ordinal);

        var chinese = await CreateAsync(language: "ZH-hans");
        var mailed = await server.CreateOrderAsync(Body(email: "claire@example.org"));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and length(customer_email_enc) > 40 and customer_email_enc not like '%claire%'", mailed.Id));
        var plain = await CreateAsync(language: null);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and customer_language = 'zh-Hans'", chinese.Id));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from orders where id = $1 and customer_language = 'en'", plain.Id));
    }

    private static string Kind(string line)
    {
        var start = line.IndexOf(" (", StringComparison.Ordinal) + 2;
        return line[start..line.IndexOf(')', start)];
    }

    private static long Number(OrderView order) => long.Parse(order.Number[2..], CultureInfo.InvariantCulture);

    private Task<Dispatch.Server.Persistence.OutboxRecord> Move(OrderView order, long number, OrderStatus from, OrderStatus to, string merchant = "shop-1",
        DateTimeOffset? at = null, string? note = null) => OutboxEvents.MovedAsync(server, order.Id, number, from, to, merchant, at, note);

    /// <summary>The order as a courier's carried order: in transit, promised (at accept) at <paramref name="promise"/>.</summary>
    private async Task CarryAsync(Guid orderId, Guid courierId, DateTimeOffset promise) =>
        await server.ScalarAsync("update orders set status = $2, courier_id = $3, eta_at_accept = $4 where id = $1", orderId, (int)OrderStatus.InTransit, courierId, promise);

    private static Dictionary<string, object?> Body(string kind = "errand", string? language = null, string? email = null)
    {
        var body = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(DispatchServer.OrderBody(kind), DispatchServer.Json), DispatchServer.Json)!;
        if (language is not null) body["customerLanguage"] = language;
        if (email is not null) body["customerEmail"] = email;
        return body;
    }

    private async Task<OrderView> CreateAsync(string kind = "errand", string? language = null, string? merchant = null) =>
        await server.CreateOrderAsync(Body(kind, language), merchant);
}
