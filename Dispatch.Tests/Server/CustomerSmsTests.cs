using System.Globalization;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// Customer messages through the HttpSms adapter to a real HTTP gateway (Kestrel inside the test): the API key header and
/// the JSON body, retries of a failing gateway then "failed", and a refused number skipped with its reason.
/// </summary>
public sealed class CustomerSmsTests(SmsNotificationServer server) : IClassFixture<SmsNotificationServer>
{
    [Fact]
    public async Task A_failed_orders_customer_gets_courier_found_picked_up_and_failed_by_sms()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(phone: "+377 6 12 34 55 71"));
        var number = long.Parse(order.Number[2..], CultureInfo.InvariantCulture);
        await OutboxEvents.MovedAsync(server, order.Id, number, OrderStatus.Offered, OrderStatus.Accepted);
        await OutboxEvents.MovedAsync(server, order.Id, number, OrderStatus.Accepted, OrderStatus.ArrivedAtPickup);
        await OutboxEvents.MovedAsync(server, order.Id, number, OrderStatus.ArrivedAtPickup, OrderStatus.PickedUp);
        await OutboxEvents.MovedAsync(server, order.Id, number, OrderStatus.PickedUp, OrderStatus.InTransit);
        await OutboxEvents.MovedAsync(server, order.Id, number, OrderStatus.InTransit, OrderStatus.Failed, note: "scooter crashed");

        var sent = new List<SmsGateway.SmsRequest>();
        for (var i = 0; i < 3; i++) sent.Add(await server.Gateway.Requests.NextAsync(r => r.Text.Contains(order.Number, StringComparison.Ordinal), what: $"SMS {i + 1}"));

        Assert.All(sent, r => Assert.Equal(("+377612345571", SmsNotificationServer.ApiKey), (r.To, r.ApiKey)));
        Assert.StartsWith($"Order {order.Number}: a courier is on the way", sent[0].Text, StringComparison.Ordinal);
        Assert.StartsWith($"Order {order.Number}: your order has been picked up", sent[1].Text, StringComparison.Ordinal);
        Assert.StartsWith($"Order {order.Number}: we could not deliver your order", sent[2].Text, StringComparison.Ordinal);
        Assert.All(sent, r => Assert.Contains($"/track/{order.TrackingToken}", r.Text, StringComparison.Ordinal));
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from customer_notifications where order_id = $1 and status = 1 and channel = 'HttpSms'", order.Id),
            n => n == 3, "three messages marked sent");
    }

    [Fact]
    public async Task A_gateway_that_keeps_failing_is_retried_then_the_message_is_failed_and_a_refused_number_is_skipped()
    {
        server.RequireServices();
        server.Gateway.Answers["+377612345572"] = 503;
        server.Gateway.Answers["+377612345573"] = 400;
        var down = await server.CreateOrderAsync(DispatchServer.OrderBody(phone: "+377 6 12 34 55 72"));
        var refused = await server.CreateOrderAsync(DispatchServer.OrderBody(phone: "+377 6 12 34 55 73"));
        await OutboxEvents.MovedAsync(server, down.Id, long.Parse(down.Number[2..], CultureInfo.InvariantCulture), OrderStatus.Offered, OrderStatus.Accepted);
        await OutboxEvents.MovedAsync(server, refused.Id, long.Parse(refused.Number[2..], CultureInfo.InvariantCulture), OrderStatus.Offered, OrderStatus.Accepted);

        await server.Gateway.Requests.NextAsync(r => r.To == "+377612345572", what: "first try");
        await server.Gateway.Requests.NextAsync(r => r.To == "+377612345572", what: "second try, after the back-off");
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from customer_notifications where order_id = $1 and status = 2 and attempts = 2 and reason like '%503%'", down.Id),
            n => n == 1, "the message marked failed after MaxAttempts tries");
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from customer_notifications where order_id = $1 and status = 3 and attempts = 1 and reason like '%refused%400%'", refused.Id),
            n => n == 1, "the refused number's message skipped with its reason");
        await Eventually.WaitForAsync(() => Task.FromResult(server.Log.Lines.Count(l => l.StartsWith("Error", StringComparison.Ordinal)
            && l.Contains($"order {down.Number} failed on HttpSms after 2 tries", StringComparison.Ordinal))), n => n == 1, "the failure logged as an error");
        Assert.DoesNotContain(server.Log.Lines, l => l.Contains("612345572", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_nodes_send_each_message_once()
    {
        server.RequireServices();
        var settings = ExtraNode.SettingsOf(server, new Dictionary<string, string?>
        {
            ["Notifications:Channel"] = "HttpSms",
            ["Notifications:HttpSms:Url"] = server.Gateway.Url.ToString(),
            ["Notifications:HttpSms:ApiKey"] = SmsNotificationServer.ApiKey,
            ["Notifications:SendPollMilliseconds"] = "100",
            ["Notifications:BatchSize"] = "3",
            ["Outbox:PollMilliseconds"] = "200",
        });
        await using var second = await ExtraNode.StartAsync(settings);
        var orders = new List<OrderView>();
        for (var i = 0; i < 12; i++) orders.Add(await server.CreateOrderAsync(DispatchServer.OrderBody(phone: $"+377 6 12 40 00 {i:00}")));
        foreach (var order in orders)
        {
            var number = long.Parse(order.Number[2..], CultureInfo.InvariantCulture);
            await OutboxEvents.MovedAsync(server, order.Id, number, OrderStatus.Offered, OrderStatus.Accepted);
            await OutboxEvents.MovedAsync(server, order.Id, number, OrderStatus.ArrivedAtPickup, OrderStatus.PickedUp);
        }

        var ids = orders.Select(o => o.Id).ToArray();
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from customer_notifications where order_id = any($1) and status = 1", ids), n => n == 24,
            "every message sent", TimeSpan.FromSeconds(30));
        // A message is marked sent after the gateway answered, so every request it got is in by now.
        var received = server.Gateway.Requests.Drain().Where(r => r.To.StartsWith("+3776124000", StringComparison.Ordinal)).ToList();
        Assert.Equal(24, received.Count);
        Assert.Equal(24, received.Select(r => (r.To, r.Text)).Distinct().Count());
    }
}
