using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Core.Payments;
using Dispatch.Server.Payments;
using Dispatch.Server.Persistence;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server.Payments;

/// <summary>
/// A provider's payment that arrives for an order already cancelled (by a person, or by the unpaid expiry) is taken from
/// the provider, recorded, refunded in full through the refund loop once however often the notice comes, and the customer
/// is told; the order stays cancelled.
/// </summary>
public sealed class LatePaymentTests(RecoverySweepServer server) : IClassFixture<RecoverySweepServer>
{
    [Fact]
    public async Task A_sandbox_payment_after_a_cancel_is_taken_and_refunded_in_full_once()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(PricedOrder(700));
        var started = await StartAsync(order.Id);
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "customer left" })).StatusCode);

        var late = await server.Http.PostAsync(started.Client["payUrl"], null);
        Assert.True(late.StatusCode == HttpStatusCode.OK, await late.Content.ReadAsStringAsync());

        var refunded = await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.State == PaymentState.Refunded, "the late payment refunded");
        Assert.Equal(OrderStatus.Cancelled, refunded.Status);
        Assert.Equal((700, 700, "sandbox"), (refunded.Payment!.PaidCents, refunded.Payment.RefundedCents, refunded.Payment.Method));
        // One refund gives the money back. When the relay handles the cancel after the late payment was recorded (a loaded
        // machine), the cancel queues a refund too; whichever runs second finds nothing left.
        var refund = Assert.Single(refunded.Payment.Refunds, r => r.State == RefundState.Done);
        Assert.Equal((RefundReason.CancelledBeforePickup, 700), (refund.Reason, refund.AmountCents));
        Assert.All(refunded.Payment.Refunds.Where(r => r.Id != refund.Id), r => Assert.Equal(RefundState.NothingOwed, r.State));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from payments where order_id = $1 and outcome = 'late' and amount_cents = 700", order.Id));
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from customer_notifications where order_id = $1 and kind = 'Refunded'", order.Id),
            n => n == 1, "the customer's refund message");

        // The provider sends its notice again: recorded, answered, and no second refund.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync(started.Client["payUrl"], null)).StatusCode);
        Assert.Equal(2, await server.ScalarAsync("select count(*) from payments where order_id = $1 and outcome = 'late'", order.Id));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from payment_refunds where order_id = $1 and state = $2", order.Id, (int)RefundState.Done));
        Assert.Equal(700, await server.ScalarAsync("select refunded_cents from orders where id = $1", order.Id));
        Assert.Equal((long)OrderStatus.Cancelled, await server.ScalarAsync("select status from orders where id = $1", order.Id));
    }

    [Fact]
    public async Task A_sandbox_payment_after_the_unpaid_expiry_is_refunded_and_the_order_stays_cancelled()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync(PricedOrder(450));
        var started = await StartAsync(order.Id);
        await server.ScalarAsync("update orders set created_at = created_at - interval '61 minutes' where id = $1 returning 1", order.Id);
        await Eventually.WaitForAsync(() => server.ScalarAsync("select status from orders where id = $1", order.Id), s => s == (long)OrderStatus.Cancelled,
            "the unpaid order cancelled by the sweep");

        var late = await server.Http.PostAsync(started.Client["payUrl"], null);
        Assert.True(late.StatusCode == HttpStatusCode.OK, await late.Content.ReadAsStringAsync());

        var refunded = await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.State == PaymentState.Refunded, "the late payment refunded");
        Assert.Equal(OrderStatus.Cancelled, refunded.Status);
        Assert.Equal(450, refunded.Payment!.RefundedCents);
        Assert.Equal(0, await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = $2", order.Id, (int)OrderStatus.Paid));
    }

    private static System.Text.Json.Nodes.JsonObject PricedOrder(int fee)
    {
        var body = JsonSerializer.SerializeToNode(DispatchServer.OrderBody(), DispatchServer.Json)!.AsObject();
        body["deliveryFeeCents"] = fee;
        body["currency"] = "EUR";
        return body;
    }

    private async Task<StartedPayment> StartAsync(Guid orderId)
    {
        var response = await server.CallAsync(HttpMethod.Post, $"/api/orders/{orderId}/payments", "admin", new { provider = "sandbox" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<StartedPayment>(DispatchServer.Json))!;
    }
}
