using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Ledger;
using Dispatch.Core.Orders;
using Dispatch.Core.Payments;
using Dispatch.Server.Ledger;
using Dispatch.Server.Orders;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// A simulated day on the real server, PostgreSQL and Redis: two couriers deliver a priced errand, a frozen order, a
/// buy-for-me errand and a priced order later refunded in part; an order paid and cancelled before a courier was found is
/// refunded in full; an admin adjusts both couriers; the day is settled; one withdrawal is approved and one rejected. The
/// ledger must balance to the cent, the platform's figures show the refunds, and each courier holds exactly what they earned.
/// </summary>
public sealed class LedgerDayTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const long ColdChain = 150, Errand = 100; // LedgerOptions defaults
    private const double F = DispatchServer.FontvieilleLat, G = DispatchServer.FontvieilleLon;

    [Fact]
    public async Task A_simulated_day_balances_to_the_cent_and_every_courier_holds_what_they_earned()
    {
        server.RequireServices();

        // Paid, then cancelled before any courier is online: all of it goes back, out of the customer's prepayment.
        var cancelled = await server.CreateOrderAsync(Priced(800));
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(cancelled.Id, 8.00m, "EUR")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/orders/{cancelled.Id}/cancel", "dispatcher", new { reason = "customer changed their mind" })).StatusCode);
        await Eventually.WaitForAsync(() => server.GetOrderAsync(cancelled.Id), v => v.Payment!.State == PaymentState.Refunded, "the cancelled order's full refund");

        OrderView errand, frozen, shopping, refunded;
        Guid a, b;
        await using (var courierA = await server.OnlineCourierAtAsync("day-a", DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon + 0.0002))
        {
            a = courierA.Id;
            errand = await DeliverAsync(courierA, Priced(900), o => server.PayAsync(o.Id, 9.00m, "EUR"));
            // From where the last one ended, 330 m on (test fixes ride at 60 m/s and may lead real time by ~2 km); unpriced: the merchant's callback pays 12.50.
            frozen = await DeliverAsync(courierA, DispatchServer.OrderBody(kind: "frozen", F, G, F + 0.003, G), o => server.PayAsync(o.Id));
        }
        await using (var courierB = await server.OnlineCourierAtAsync("day-b", DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon + 0.0002))
        {
            b = courierB.Id;
            shopping = await DeliverAsync(courierB, DispatchServer.OrderBody(priceCapCents: 2500), o => server.PayAsync(o.Id), receiptCents: 2380);
            refunded = await DeliverAsync(courierB, Priced(700, back: true), o => server.PayAsync(o.Id, 7.00m, "EUR"));
        }
        var part = await server.CallAsync(HttpMethod.Post, $"/api/orders/{refunded.Id}/refunds", "dispatcher", new { amountCents = 300, reason = "late delivery" });
        Assert.Equal(HttpStatusCode.Accepted, part.StatusCode);
        await Eventually.WaitForAsync(() => server.GetOrderAsync(refunded.Id), v => v.Payment!.State == PaymentState.PartlyRefunded, "the partial refund after delivery");

        Assert.Equal(HttpStatusCode.Created, (await LedgerSteps.AdjustAsync(server, a, new { amountCents = 500, reason = "rain bonus" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await LedgerSteps.AdjustAsync(server, b, new { amountCents = -200, reason = "damaged bag" })).StatusCode);

        long Fee(OrderView o) => o.CourierFeeCents ?? throw new InvalidOperationException($"{o.Number} has no fee");
        var earnedA = Fee(errand) + Fee(frozen) + ColdChain + 500;
        var earnedB = Fee(shopping) + Errand + 2380 + Fee(refunded) - 200;

        // Before settlement everything is pending and nothing may be withdrawn.
        var pendingA = await LedgerSteps.EarningsAsync(server, a);
        Assert.Equal((earnedA, 0L), (pendingA.Balance.PendingCents, pendingA.Balance.SettledCents));
        Assert.Equal(HttpStatusCode.Conflict, (await LedgerSteps.AsCourierAsync(server, a, HttpMethod.Post, "/api/couriers/me/withdrawals", new { amountCents = 100 })).StatusCode);

        var settled = await LedgerSteps.SettleTodayAsync(server);
        Assert.Equal(earnedA + earnedB, settled.MovedCents + (await SettledBeforeTodayAsync()));

        var request = await LedgerSteps.AsCourierAsync(server, a, HttpMethod.Post, "/api/couriers/me/withdrawals", new { amountCents = 1000 });
        Assert.Equal(HttpStatusCode.Created, request.StatusCode);
        var withdrawalA = (await request.Content.ReadFromJsonAsync<WithdrawalView>(DispatchServer.Json))!;
        var requestB = await LedgerSteps.AsCourierAsync(server, b, HttpMethod.Post, "/api/couriers/me/withdrawals", new { amountCents = 50 });
        var withdrawalB = (await requestB.Content.ReadFromJsonAsync<WithdrawalView>(DispatchServer.Json))!;
        var approved = await server.CallAsync(HttpMethod.Post, $"/api/admin/withdrawals/{withdrawalA.Id}/approve", "admin", new { payoutReference = "SEPA-2026-0001" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var rejected = await server.CallAsync(HttpMethod.Post, $"/api/admin/withdrawals/{withdrawalB.Id}/reject", "admin", new { reason = "bank details missing" });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        // Each courier: everything settled, less what was paid out; the rejected withdrawal came back.
        var viewA = await LedgerSteps.EarningsAsync(server, a);
        var viewB = await LedgerSteps.EarningsAsync(server, b);
        Assert.Equal(new CourierBalance("EUR", 0, earnedA - 1000, 0), viewA.Balance);
        Assert.Equal(new CourierBalance("EUR", 0, earnedB, 0), viewB.Balance);
        Assert.Equal(earnedA, viewA.Days.Sum(d => d.EarnedCents));
        Assert.Equal(earnedA, viewA.Weeks.Sum(w => w.EarnedCents));
        Assert.Equal(
            [(frozen.Id, Fee(frozen), ColdChain, 0L), (errand.Id, Fee(errand), 0L, 0L)],
            viewA.Orders.Select(o => (o.OrderId, o.FeeCents, o.SurchargeCents, o.ReimbursedCents)));
        Assert.Contains(viewB.Orders, o => o.OrderId == shopping.Id && o.FeeCents == Fee(shopping) && o.SurchargeCents == Errand && o.ReimbursedCents == 2380);
        Assert.Equal([(WithdrawalState.Approved, "SEPA-2026-0001")], viewA.Withdrawals.Select(w => (w.State, w.PayoutReference)));
        Assert.Equal([(WithdrawalState.Rejected, "bank details missing")], viewB.Withdrawals.Select(w => (w.State, w.Reason)));

        // The platform's figures, to the cent: payments in, refunds out (before and after delivery), revenue, courier costs.
        var totals = await LedgerSteps.TotalsAsync(server);
        Assert.True(totals.Balanced);
        var byAccount = totals.Accounts.Where(t => t.Currency == "EUR").ToDictionary(t => t.Account, t => t.Balance);
        Assert.Equal(0, byAccount.Values.Sum());
        Assert.Equal(800 + 900 + 1250 + 1250 + 700 - 800 - 300, byAccount[LedgerAccounts.PlatformCash]);
        Assert.Equal(0, byAccount[LedgerAccounts.CustomerPrepaid]);
        Assert.Equal(-(900 + 1250 + 1250 + 700), byAccount[LedgerAccounts.PlatformRevenue]);
        Assert.Equal(300, byAccount[LedgerAccounts.PlatformRefunds]);
        Assert.Equal(Fee(errand) + Fee(frozen) + Fee(shopping) + Fee(refunded) + ColdChain + Errand, byAccount[LedgerAccounts.CourierCosts]);
        Assert.Equal(2380, byAccount[LedgerAccounts.CustomerReceivable]);
        Assert.Equal(300, byAccount[LedgerAccounts.Adjustments]);
        Assert.Equal(-1000, byAccount[LedgerAccounts.Payouts]);
        Assert.Equal(0, byAccount[LedgerAccounts.CourierPending]);
        Assert.Equal(-(earnedA - 1000 + earnedB), byAccount[LedgerAccounts.CourierSettled]);
        Assert.Equal(0, byAccount[LedgerAccounts.CourierWithdrawing]);

        // Every admin step left an audit row; every transaction balances on its own.
        Assert.Equal(4, await server.ScalarAsync("select count(*) from audit_log where action in ('ledger.adjust', 'withdrawal.approve', 'withdrawal.reject')"));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from (select transaction_id from ledger_lines group by transaction_id, currency having sum(amount) <> 0) x"));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from ledger_transactions where cause = $1", $"delivery:{shopping.Id:N}"));
    }

    /// <summary>Moved by yesterday's run when the test straddled midnight (else 0).</summary>
    private Task<long> SettledBeforeTodayAsync() => server.ScalarAsync(
        "select coalesce(sum(-amount), 0) from ledger_lines l join ledger_transactions t on t.id = l.transaction_id where t.cause like '%:' || $1 || ':EUR' and l.account = 'courier_settled'",
        LedgerSteps.Today(server).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    private async Task<OrderView> DeliverAsync(TestCourier courier, object body, Func<OrderView, Task<HttpResponseMessage>> pay, int? receiptCents = null)
    {
        var order = await server.CreateOrderAsync(body);
        Assert.Equal(HttpStatusCode.NoContent, (await pay(order)).StatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: $"offer of {order.Number}");
        await courier.AcceptAsync(offer.OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        if (receiptCents is { } cents) await courier.SubmitReceiptAsync(order.Id, cents);
        await courier.DeliverAtDropoffAsync(order);
        var delivered = await server.GetOrderAsync(order.Id);
        Assert.Equal(OrderStatus.Delivered, delivered.Status);
        return delivered;
    }

    /// <summary>A priced order from the casino to Fontvieille, or (<paramref name="back"/>) on from Fontvieille.</summary>
    private static System.Text.Json.Nodes.JsonObject Priced(int fee, bool back = false)
    {
        var body = JsonSerializer.SerializeToNode(back ? DispatchServer.OrderBody("errand", F, G, F + 0.003, G) : DispatchServer.OrderBody(), DispatchServer.Json)!.AsObject();
        body["deliveryFeeCents"] = fee;
        body["currency"] = "EUR";
        return body;
    }
}
