using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dispatch.Core.Alerts;
using Dispatch.Core.Orders;
using Dispatch.Core.Payments;
using Dispatch.Core.Pricing;
using Dispatch.Server.ControlRoom;
using Dispatch.Server.Orders;
using Dispatch.Server.Payments;
using Dispatch.Server.Persistence;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server.Payments;

/// <summary>
/// Money on the order, end to end on a real server: a priced order's price on the API, the generic callback refusing a
/// wrong amount (recorded, unpaid, an alert on the board), the sandbox provider paying and failing, and refunds (a cancel
/// before pickup gives all back and tells the customer; a dispatcher's partial refunds).
/// </summary>
public sealed class PaymentTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static System.Text.Json.Nodes.JsonObject PricedOrder(int fee = 650, string? currency = "EUR")
    {
        var body = JsonSerializer.SerializeToNode(DispatchServer.OrderBody(), DispatchServer.Json)!.AsObject();
        body["deliveryFeeCents"] = fee;
        if (currency is not null) body["currency"] = currency;
        return body;
    }

    [Fact]
    public async Task A_priced_order_shows_its_price_and_a_callback_with_the_wrong_amount_is_refused_recorded_and_alerted()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(PricedOrder());
        Assert.Equal(650, order.Payment!.PriceCents);
        Assert.Equal("EUR", order.Payment.Currency);
        Assert.Equal([new PriceLine("delivery", "Delivery", 650)], order.Payment.Lines);
        Assert.Equal(PaymentState.Pending, order.Payment.State);

        var paid = await server.PayAsync(order.Id, 12.50m, "EUR");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, paid.StatusCode);
        var problem = await paid.Content.ReadAsStringAsync();
        Assert.Contains("\"amount\"", problem, StringComparison.Ordinal);
        Assert.Contains("6.50", problem, StringComparison.Ordinal);

        var view = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Placed, view.Status);
        Assert.Equal(PaymentState.Pending, view.Payment!.State);
        Assert.NotNull(view.Payment.AlertAt);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from payments where order_id = $1 and outcome = 'mismatch' and amount_cents = 1250", order.Id));

        var board = server.Services.GetRequiredService<ControlRoomCoordinator>();
        var alerts = await Eventually.WaitForAsync(async () =>
        {
            await board.RefreshAsync("monaco", TestContext.Current.CancellationToken);
            return (await board.StateAsync("monaco", TestContext.Current.CancellationToken)).Alerts;
        }, a => a.Any(x => x.OrderId == order.Id), "the payment alert on the board");
        Assert.Equal(AlertKind.PaymentMismatch, Assert.Single(alerts, a => a.OrderId == order.Id).Kind);

        // The wrong currency is refused too; the right amount and currency pay the order and clear the alert.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await server.PayAsync(order.Id, 6.50m, "USD")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id, 6.50m, "EUR")).StatusCode);
        var after = await server.GetOrderAsync(order.Id);
        Assert.NotEqual(OrderStatus.Placed, after.Status);
        Assert.Equal((PaymentState.Paid, "callback", 650), (after.Payment!.State, after.Payment.Method, after.Payment.PaidCents));
        Assert.Null(after.Payment.AlertAt);
    }

    [Fact]
    public async Task An_order_without_a_price_is_paid_as_before_and_bad_prices_are_refused()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        Assert.Null(order.Payment!.PriceCents);
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        Assert.Equal(PaymentState.Paid, (await server.GetOrderAsync(order.Id)).Payment!.State);

        var token = await server.MerchantTokenAsync();
        var negative = await server.PostOrderAsync(PricedOrder(fee: -1), Guid.NewGuid().ToString(), token);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("deliveryFeeCents", await negative.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var lower = await server.PostOrderAsync(PricedOrder(currency: "eur"), Guid.NewGuid().ToString(), token);
        Assert.Equal(HttpStatusCode.BadRequest, lower.StatusCode);
        Assert.Contains("\"currency\"", await lower.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandbox_fails_a_payment_then_pays_it_and_a_changed_amount_is_refused()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(PricedOrder(fee: 990));

        var first = await StartAsync(order.Id, "sandbox");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync(first.Client["failUrl"], null)).StatusCode);
        var failed = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Placed, failed.Status);
        Assert.Equal(PaymentState.Failed, failed.Payment!.State);
        Assert.NotNull(failed.Payment.FailedAt);

        var second = await StartAsync(order.Id, "sandbox");
        var forged = second.Client["payUrl"].Replace("amount=990", "amount=1", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.PostAsync(forged, null)).StatusCode);
        Assert.Equal(OrderStatus.Placed, (await server.GetOrderAsync(order.Id)).Status);

        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync(second.Client["payUrl"], null)).StatusCode);
        var paid = await server.GetOrderAsync(order.Id);
        Assert.NotEqual(OrderStatus.Placed, paid.Status);
        Assert.Equal((PaymentState.Paid, "sandbox", 990), (paid.Payment!.State, paid.Payment.Method, paid.Payment.PaidCents));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from payments where order_id = $1 and outcome = 'failed'", order.Id));
    }

    [Fact]
    public async Task A_cancel_before_pickup_refunds_everything_and_tells_the_customer()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(PricedOrder(fee: 800));
        var started = await StartAsync(order.Id, "sandbox");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync(started.Client["payUrl"], null)).StatusCode);

        var cancel = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "customer asked before a courier was found" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

        var refunded = await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.State == PaymentState.Refunded, "the full refund");
        Assert.Equal(800, refunded.Payment!.RefundedCents);
        var refund = Assert.Single(refunded.Payment.Refunds);
        Assert.Equal((RefundReason.CancelledBeforePickup, RefundState.Done, 800), (refund.Reason, refund.State, refund.AmountCents));
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from customer_notifications where order_id = $1 and kind = 'Refunded'", order.Id),
            n => n == 1, "the customer's refund message");
    }

    [Fact]
    public async Task A_dispatcher_refunds_part_then_the_rest_and_never_more_than_was_paid()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(PricedOrder(fee: 1000));
        var started = await StartAsync(order.Id, "sandbox");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync(started.Client["payUrl"], null)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await RefundAsync(order.Id, 300)).StatusCode);
        var partly = await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.State == PaymentState.PartlyRefunded, "the partial refund");
        Assert.Equal(300, partly.Payment!.RefundedCents);

        var tooMuch = await RefundAsync(order.Id, 701);
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Contains("700 cents", await tooMuch.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, (await RefundAsync(order.Id, 700)).StatusCode);
        var all = await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.State == PaymentState.Refunded, "the rest refunded");
        Assert.Equal(1000, all.Payment!.RefundedCents);
        Assert.Equal(2, all.Payment.Refunds.Count(r => r.State == RefundState.Done));
    }

    private async Task<HttpResponseMessage> RefundAsync(Guid orderId, int cents) =>
        await server.CallAsync(HttpMethod.Post, $"/api/orders/{orderId}/refunds", "dispatcher", new { amountCents = cents, reason = "goodwill" });

    private async Task<StartedPayment> StartAsync(Guid orderId, string provider)
    {
        var response = await server.CallAsync(HttpMethod.Post, $"/api/orders/{orderId}/payments", "admin", new { provider });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<StartedPayment>(DispatchServer.Json))!;
    }
}
