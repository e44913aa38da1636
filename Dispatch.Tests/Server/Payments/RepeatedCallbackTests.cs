using System.Net;
using Dispatch.Core.Orders;
using Dispatch.Core.Payments;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server.Payments;

/// <summary>
/// A provider resends its notification until it hears success (the simulator does too): a repeated "paid" callback for an
/// order already paid answers success and changes nothing on the order, its events, its outbox or its money.
/// </summary>
public sealed class RepeatedCallbackTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_repeated_paid_callback_answers_success_and_changes_nothing()
    {
        server.RequireServices();
        var order = await server.CreateOrderAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var paid = await server.GetOrderAsync(order.Id);
        Assert.Equal(PaymentState.Paid, paid.Payment!.State);
        var before = await FingerprintAsync(order.Id);

        for (var i = 0; i < 2; i++)
        {
            var again = await server.PayAsync(order.Id);
            Assert.True(again.StatusCode == HttpStatusCode.NoContent, await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var after = await server.GetOrderAsync(order.Id);
        Assert.Equal((paid.Payment.State, paid.Payment.PaidCents, paid.Payment.Method), (after.Payment!.State, after.Payment.PaidCents, after.Payment.Method));
        Assert.NotEqual(OrderStatus.Placed, after.Status);
        Assert.Equal(before, await FingerprintAsync(order.Id));
        // Each repeat is kept as a notice (what the provider sent), never as a second payment.
        Assert.Equal(1, await server.ScalarAsync("select count(*) from payments where order_id = $1 and outcome = 'paid'", order.Id));
    }

    /// <summary>The order's version and paid time, and how many events, outbox rows and Paid transitions it has.</summary>
    private async Task<(long Version, long PaidAt, long Events, long Outbox, long Paid)> FingerprintAsync(Guid orderId) => (
        await server.ScalarAsync("select version from orders where id = $1", orderId),
        await server.ScalarAsync("select (extract(epoch from paid_at) * 1000000)::bigint from orders where id = $1", orderId),
        await server.ScalarAsync("select count(*) from order_events where order_id = $1", orderId),
        await server.ScalarAsync("select count(*) from outbox where order_id = $1", orderId),
        await server.ScalarAsync("select count(*) from order_events where order_id = $1 and status = 1", orderId));
}
