using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>A customer paying their own order with the sandbox provider, and cancelling it (refunded) before a courier accepts.</summary>
public sealed class CustomerPaymentTests(CustomerServer server) : IClassFixture<CustomerServer>
{
    [Fact]
    public async Task A_customer_pays_their_own_order_with_the_sandbox_and_no_one_elses()
    {
        server.RequireServices();
        var alice = await server.CustomerTokenAsync("+33 6 44 00 00 01");
        var bob = await server.CustomerTokenAsync("+33 6 44 00 00 02");
        var order = await server.PlaceParcelAsync(alice);
        var id = order.GetProperty("id").GetGuid();
        var total = order.GetProperty("quote").GetProperty("totalCents").GetInt32();

        Assert.Equal(HttpStatusCode.NotFound, (await server.AsCustomerAsync(bob, HttpMethod.Post, $"/api/customers/me/orders/{id}/payment", new { provider = "sandbox" })).StatusCode);
        var noProvider = await server.AsCustomerAsync(alice, HttpMethod.Post, $"/api/customers/me/orders/{id}/payment", new { provider = "cash" });
        Assert.Equal(HttpStatusCode.BadRequest, noProvider.StatusCode);
        Assert.True((await noProvider.ProblemAsync()).GetProperty("errors").TryGetProperty("provider", out _));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from payments where order_id = $1", id));

        var started = await server.AsCustomerAsync(alice, HttpMethod.Post, $"/api/customers/me/orders/{id}/payment", new { provider = "sandbox" });
        Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        var payment = await started.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal(total, payment.GetProperty("amountCents").GetInt32());
        var paid = await server.Http.PostAsync(payment.GetProperty("client").GetProperty("payUrl").GetString(), null);
        Assert.True(paid.StatusCode == HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());

        var view = await ViewAsync(alice, id);
        Assert.NotEqual("placed", view.GetProperty("status").GetString());
        Assert.Equal("paid", view.GetProperty("paymentState").GetString());
        Assert.Equal(total, view.GetProperty("paidCents").GetInt32());
    }

    [Fact]
    public async Task A_customer_cancels_a_paid_order_before_a_courier_accepts_and_is_refunded_in_full()
    {
        server.RequireServices();
        var alice = await server.CustomerTokenAsync("+33 6 44 00 00 03");
        var bob = await server.CustomerTokenAsync("+33 6 44 00 00 04");
        var order = await server.PlaceParcelAsync(alice);
        var id = order.GetProperty("id").GetGuid();
        var total = order.GetProperty("quote").GetProperty("totalCents").GetInt32();
        await PayWithSandboxAsync(alice, id);

        Assert.Equal(HttpStatusCode.NotFound, (await server.AsCustomerAsync(bob, HttpMethod.Post, $"/api/customers/me/orders/{id}/cancel", new { })).StatusCode);
        var cancel = await server.AsCustomerAsync(alice, HttpMethod.Post, $"/api/customers/me/orders/{id}/cancel", new { reason = "changed my mind" });
        Assert.True(cancel.StatusCode == HttpStatusCode.OK, await cancel.Content.ReadAsStringAsync());

        var refunded = await Eventually.WaitForAsync(() => ViewAsync(alice, id), v => v.GetProperty("paymentState").GetString() == "refunded", "the full refund on the customer's view");
        Assert.Equal("cancelled", refunded.GetProperty("status").GetString());
        Assert.Equal(total, refunded.GetProperty("refundedCents").GetInt32());
        Assert.False(refunded.GetProperty("cancellable").GetBoolean());
        // The receipt: how and when it was paid, and when it went back.
        Assert.Equal("sandbox", refunded.GetProperty("paymentMethod").GetString());
        Assert.True(refunded.GetProperty("paidAt").GetDateTimeOffset() <= refunded.GetProperty("refundedAt").GetDateTimeOffset());
        var again = await server.AsCustomerAsync(alice, HttpMethod.Post, $"/api/customers/me/orders/{id}/cancel", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_customer_cannot_cancel_once_a_courier_accepted()
    {
        server.RequireServices();
        var alice = await server.CustomerTokenAsync("+33 6 44 00 00 05");
        var order = await server.PlaceParcelAsync(alice);
        var id = order.GetProperty("id").GetGuid();
        await server.ScalarAsync("update orders set status = $2, version = version + 1 where id = $1", id, (int)OrderStatus.Accepted);

        var cancel = await server.AsCustomerAsync(alice, HttpMethod.Post, $"/api/customers/me/orders/{id}/cancel", new { });
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Contains("courier has accepted", (await cancel.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((long)OrderStatus.Accepted, await server.ScalarAsync("select status from orders where id = $1", id));
        Assert.False((await ViewAsync(alice, id)).GetProperty("cancellable").GetBoolean());
    }

    private async Task PayWithSandboxAsync(string token, Guid id)
    {
        var started = await server.AsCustomerAsync(token, HttpMethod.Post, $"/api/customers/me/orders/{id}/payment", new { provider = "sandbox" });
        var payment = await started.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var paid = await server.Http.PostAsync(payment.GetProperty("client").GetProperty("payUrl").GetString(), null);
        Assert.True(paid.StatusCode == HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> ViewAsync(string token, Guid id) =>
        await (await server.AsCustomerAsync(token, HttpMethod.Get, $"/api/customers/me/orders/{id}")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
}
