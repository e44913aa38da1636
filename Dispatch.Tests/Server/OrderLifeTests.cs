using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Webhooks;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// An order's life off the page, end to end on the real server: the courier's own hub calls move it (no event written by
/// the test), and what follows each commit reaches the merchant's webhook receiver — signed, once each, in the order the
/// statuses happened — and the customer's messages (Log channel) are exactly courier found, picked up, arriving, delivered.
/// </summary>
public sealed class OrderLifeTests(NotificationServer server) : IClassFixture<NotificationServer>
{
    [Fact]
    public async Task A_delivered_order_reaches_the_merchants_webhook_in_order_and_its_customer_by_message()
    {
        server.RequireServices();
        await using var receiver = await WebhookReceiver.StartAsync();
        const string merchant = "life-shop";
        var secret = (await WebhookEndpoints.RegisterAsync(server, merchant, receiver.UrlFor("/hooks/life"), "order.status", "order.arriving")).Secret;
        await using var courier = await server.OnlineCourierAtAsync("life", 43.7390, 7.4270);

        var body = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(DispatchServer.OrderBody("frozen"), DispatchServer.Json), DispatchServer.Json)!;
        body["customerLanguage"] = "fr";
        var order = await server.CreateOrderAsync(body, merchant);
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        await courier.AcceptAsync(offer.OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        var pickup = new LatLon(DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var dropoff = new LatLon(DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        var away = GeoMath.StepToward(pickup, dropoff, 300);
        await courier.MoveToAsync(away.Lat, away.Lon);
        // Two fixes in one flush would be seen together (near the door first): in transit is waited for, as a real trip's minutes would.
        await Eventually.WaitForAsync(async () => (await server.GetOrderAsync(order.Id)).Status, s => s == OrderStatus.InTransit, "in transit");
        await courier.MoveToAsync(dropoff.Lat, dropoff.Lon);
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from order_events where order_id = $1 and note = 'arriving'", order.Id),
            n => n == 1, "the pre-arrival event");
        Assert.Equal(OrderStatus.Delivered, (await courier.DeliveredAsync(order.Id, order.Pin!)).Status);

        // The merchant: every step once, in order, each signed with the endpoint's secret.
        var hooks = new List<ReceivedWebhook>();
        while (hooks.Count == 0 || Step(hooks[^1]) != "delivered") hooks.Add(await receiver.Received.NextAsync(what: $"webhook #{hooks.Count + 1}"));
        var steps = hooks.Select(Step).ToList();
        Assert.Equal(["placed", "paid", "dispatching", "offered", "accepted", "arrivedAtPickup", "pickedUp", "inTransit", "arriving", "delivered"], steps);
        Assert.Equal(hooks.Count, hooks.Select(h => h.EventId).Distinct().Count());
        Assert.All(hooks, h => Assert.True(WebhookSignature.Verify(secret, h.Header(WebhookSignature.Header), Encoding.UTF8.GetBytes(h.Body),
            DateTimeOffset.UtcNow.ToUnixTimeSeconds(), TimeSpan.FromMinutes(5)), $"signature of {h.Body}"));
        Assert.All(hooks, h => Assert.DoesNotContain(courier.Id.ToString(), h.Body, StringComparison.OrdinalIgnoreCase));

        // The customer: the four messages that matter, in French, once each.
        var lines = await Eventually.WaitForAsync(() => Task.FromResult(server.MessagesFor(order.Number)),
            l => l.Any(x => x.Contains("(Delivered)", StringComparison.Ordinal)), "the delivered message");
        Assert.Equal(["CourierFound", "PickedUp", "Arriving", "Delivered"], lines.Select(Kind));
        Assert.All(lines, l => Assert.Contains($"Commande {order.Number}", l, StringComparison.Ordinal));
    }

    private static string Step(ReceivedWebhook h) => h.Header("Dispatch-Event-Type") == "order.arriving" ? "arriving" : h.Status;

    private static string Kind(string line)
    {
        var start = line.IndexOf(" (", StringComparison.Ordinal) + 2;
        return line[start..line.IndexOf(')', start)];
    }
}
