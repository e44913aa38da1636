using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Ledger;
using Dispatch.Core.Payments;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server.Payments;

/// <summary>Refunds in the platform's figures (the ledger), end to end on the real server.</summary>
public sealed class RefundLedgerTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    /// <summary>
    /// A paid order that fails after pickup gives back half (Payments:KeepPercentAfterPickup) and the platform keeps the rest
    /// for the work done: the ledger must show that share as revenue, not as a prepayment still owed to the customer, and a
    /// later refund of the same order comes out of the platform's figures.
    /// </summary>
    [Fact]
    public async Task A_failed_orders_kept_share_becomes_revenue_and_a_later_refund_shows_in_the_platforms_refunds()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("kept-1", DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon + 0.0002);
        var body = JsonSerializer.SerializeToNode(DispatchServer.OrderBody(), DispatchServer.Json)!.AsObject();
        body["deliveryFeeCents"] = 1000;
        body["currency"] = "EUR";
        var order = await server.CreateOrderAsync(body);
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id, 10.00m, "EUR")).StatusCode);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);

        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/fail", "dispatcher", new { reason = "customer not reachable" })).StatusCode);
        await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.State == PaymentState.PartlyRefunded, "the refund by the rule");
        Assert.Equal(0, await OrderBalanceAsync(order.Id, LedgerAccounts.CustomerPrepaid));
        Assert.Equal(-500, await OrderBalanceAsync(order.Id, LedgerAccounts.PlatformRevenue));
        Assert.Equal(500, await OrderBalanceAsync(order.Id, LedgerAccounts.PlatformCash));

        // A dispatcher gives back 2.00 more: the prepayment is gone, so it is a refund in the platform's figures.
        Assert.Equal(HttpStatusCode.Accepted, (await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/refunds", "dispatcher", new { amountCents = 200, reason = "goodwill" })).StatusCode);
        await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.RefundedCents == 700, "the dispatcher's refund");
        Assert.Equal(0, await OrderBalanceAsync(order.Id, LedgerAccounts.CustomerPrepaid));
        Assert.Equal(200, await OrderBalanceAsync(order.Id, LedgerAccounts.PlatformRefunds));
        Assert.Equal(300, await OrderBalanceAsync(order.Id, LedgerAccounts.PlatformCash));
        Assert.True((await LedgerSteps.TotalsAsync(server)).Balanced);
    }

    /// <summary>
    /// A paid order cancelled before a courier is found is refunded in full: the prepayment and the cash net to zero, so the
    /// platform's figures must show the refund as cash out, beside the payment that came in.
    /// </summary>
    [Fact]
    public async Task A_refund_after_a_cancel_shows_in_the_platforms_cash_flows()
    {
        server.RequireServices();
        var before = await CashFlowsAsync();
        var body = JsonSerializer.SerializeToNode(DispatchServer.OrderBody(pickupLat: 43.7310, pickupLon: 7.4190), DispatchServer.Json)!.AsObject();
        body["deliveryFeeCents"] = 800;
        body["currency"] = "EUR";
        var order = await server.CreateOrderAsync(body);
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id, 8.00m, "EUR")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "customer changed their mind" })).StatusCode);
        await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.State == PaymentState.Refunded, "the full refund");

        var after = await CashFlowsAsync();
        Assert.Equal((800L, 1), Delta("payment"));
        Assert.Equal((-800L, 1), Delta("refund"));

        (long Cents, int Transactions) Delta(string kind) =>
            (after.GetValueOrDefault(kind).Cents - before.GetValueOrDefault(kind).Cents, after.GetValueOrDefault(kind).Transactions - before.GetValueOrDefault(kind).Transactions);
    }

    /// <summary>The EUR cash flows of GET /api/admin/ledger/accounts, by kind, read as JSON.</summary>
    private async Task<Dictionary<string, (long Cents, int Transactions)>> CashFlowsAsync()
    {
        var response = await server.CallAsync(HttpMethod.Get, "/api/admin/ledger/accounts", "admin");
        response.EnsureSuccessStatusCode();
        var totals = await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.True(totals.TryGetProperty("cashFlows", out var flows), "the platform's figures list the cash flows");
        return flows.EnumerateArray().Where(f => f.GetProperty("currency").GetString() == "EUR")
            .ToDictionary(f => f.GetProperty("kind").GetString()!, f => (f.GetProperty("cents").GetInt64(), f.GetProperty("transactions").GetInt32()));
    }

    private Task<long> OrderBalanceAsync(Guid orderId, string account) =>
        server.ScalarAsync("select coalesce(sum(amount), 0)::bigint from ledger_lines where order_id = $1 and account = $2", orderId, account);
}
