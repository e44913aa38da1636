using System.Net;
using System.Net.Http.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Ledger;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Tests.Server;

/// <summary>
/// The courier's ledger through the real /hubs/courier (MessagePack): GetEarnings answers as GET /api/couriers/me/earnings
/// does, EarningsChanged follows a delivery and a withdrawal decision, a courier sees only their own money, and a bad range
/// is a HubException.
/// </summary>
public sealed class CourierLedgerHubTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task A_delivered_orders_fee_is_pushed_and_read_through_the_hub_as_through_rest()
    {
        server.RequireServices();
        await using var courier = await server.OnlineCourierAtAsync("hub-fee", DispatchServer.CasinoLat + 0.0002, DispatchServer.CasinoLon + 0.0002);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody());
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: $"offer of {order.Number}");
        await courier.AcceptAsync(offer.OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        await courier.DeliverAtDropoffAsync(order);
        var fee = (await server.GetOrderAsync(order.Id)).CourierFeeCents!.Value;

        var pushed = await courier.EarningsChanges.NextAsync(m => m.Reason == "delivered", what: "EarningsChanged after the delivery");
        Assert.Equal((order.Id, new CourierBalance("EUR", fee, 0, 0)), (pushed.OrderId, pushed.Balance));

        var viaHub = await courier.GetEarningsAsync();
        Assert.Equal([(order.Id, order.Number, (long)fee)], viaHub.Orders.Select(o => (o.OrderId, o.Number, o.FeeCents)));
        Assert.Equal(fee, viaHub.Days[0].EarnedCents);
        Assert.Equal((EarningsWindow.DefaultDays, EarningsWindow.DefaultWeeks), (viaHub.Days.Count, viaHub.Weeks.Count));
        var viaRest = await LedgerSteps.EarningsAsync(server, courier.Id);
        Assert.Equal(Shape(viaRest), Shape(viaHub));

        // A range: the same days through both doors.
        var today = viaHub.Days[0].Start;
        var ranged = await courier.GetEarningsAsync(today.AddDays(-2), today);
        Assert.Equal([today, today.AddDays(-1), today.AddDays(-2)], ranged.Days.Select(d => d.Start));
        var rangedRest = await LedgerSteps.AsCourierAsync(server, courier.Id, HttpMethod.Get, $"/api/couriers/me/earnings?from={today.AddDays(-2):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        Assert.Equal(Shape(ranged), Shape((await rangedRest.Content.ReadFromJsonAsync<CourierEarningsView>(DispatchServer.Json))!));
    }

    [Fact]
    public async Task A_withdrawal_decided_by_an_admin_is_pushed_to_the_courier_and_to_nobody_else()
    {
        server.RequireServices();
        var fleet = await server.FleetAsync("hub-wd", 2);
        await using var mine = await server.ConnectCourierAsync(fleet[0]);
        await using var other = await server.ConnectCourierAsync(fleet[1]);
        Assert.Equal(HttpStatusCode.Created, (await LedgerSteps.AdjustAsync(server, mine.Id, new { amountCents = 900, reason = "opening balance" })).StatusCode);
        Assert.Equal("adjusted", (await mine.EarningsChanges.NextAsync(what: "EarningsChanged after the adjustment")).Reason);
        await LedgerSteps.SettleTodayAsync(server);

        var asked = await LedgerSteps.AsCourierAsync(server, mine.Id, HttpMethod.Post, "/api/couriers/me/withdrawals", new { amountCents = 600 });
        var withdrawal = (await asked.Content.ReadFromJsonAsync<WithdrawalView>(DispatchServer.Json))!;
        var requested = await mine.EarningsChanges.NextAsync(what: "EarningsChanged after the request");
        Assert.Equal(("withdrawal-requested", withdrawal.Id, new CourierBalance("EUR", 0, 300, 600)), (requested.Reason, requested.WithdrawalId, requested.Balance));

        var approved = await server.CallAsync(HttpMethod.Post, $"/api/admin/withdrawals/{withdrawal.Id}/approve", "admin", new { payoutReference = "SEPA-HUB-1" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var decided = await mine.EarningsChanges.NextAsync(what: "EarningsChanged after the approval");
        Assert.Equal(("withdrawal-approved", withdrawal.Id, new CourierBalance("EUR", 0, 300, 0)), (decided.Reason, decided.WithdrawalId, decided.Balance));
        var view = await mine.GetEarningsAsync();
        Assert.Equal([(withdrawal.Id, WithdrawalState.Approved, "SEPA-HUB-1")], view.Withdrawals.Select(w => (w.Id, w.State, w.PayoutReference)));

        // The other courier heard none of it: their first push is their own adjustment, and their view holds only their money.
        Assert.Equal(HttpStatusCode.Created, (await LedgerSteps.AdjustAsync(server, other.Id, new { amountCents = 40, reason = "theirs" })).StatusCode);
        var theirs = await other.EarningsChanges.NextAsync(what: "the other courier's own push");
        Assert.Equal(("adjusted", new CourierBalance("EUR", 40, 0, 0)), (theirs.Reason, theirs.Balance));
        var otherView = await other.GetEarningsAsync();
        Assert.Equal((other.Id, 40L, 0L), (otherView.CourierId, otherView.Balance.PendingCents, otherView.Balance.SettledCents));
        Assert.Empty(otherView.Withdrawals);
        Assert.Equal(40, otherView.Days.Sum(d => d.EarnedCents));
    }

    [Fact]
    public async Task A_bad_range_is_a_hub_exception_naming_it()
    {
        server.RequireServices();
        await using var courier = await server.ConnectCourierAsync((await server.FleetAsync("hub-range", 1))[0]);
        var day = new DateOnly(2026, 3, 10);

        var reversed = await Assert.ThrowsAsync<HubException>(() => courier.GetEarningsAsync(day, day.AddDays(-1)));
        Assert.Contains("from (2026-03-10) is after to (2026-03-09)", reversed.Message, StringComparison.Ordinal);
        var tooLong = await Assert.ThrowsAsync<HubException>(() => courier.GetEarningsAsync(day, day.AddDays(EarningsWindow.MaxDays)));
        Assert.Contains($"covers {EarningsWindow.MaxDays + 1} days", tooLong.Message, StringComparison.Ordinal);
        var rest = await LedgerSteps.AsCourierAsync(server, courier.Id, HttpMethod.Get, "/api/couriers/me/earnings?from=2026-03-10&to=2026-03-09");
        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);

        // The connection is still good after a refusal.
        Assert.Equal(courier.Id, (await courier.GetEarningsAsync()).CourierId);
    }

    /// <summary>What both doors must agree on, as comparable values.</summary>
    private static string Shape(CourierEarningsView v) => string.Join("|",
        v.CourierId, v.Balance, v.TimeZone,
        string.Join(",", v.Days.Select(d => $"{d.Start:yyyy-MM-dd}={d.EarnedCents}")),
        string.Join(",", v.Weeks.Select(d => $"{d.Start:yyyy-MM-dd}={d.EarnedCents}")),
        string.Join(",", v.Orders.Select(o => $"{o.OrderId}:{o.Number}:{o.FeeCents}:{o.SurchargeCents}:{o.ReimbursedCents}:{o.ReversedCents}:{o.At.ToUnixTimeMilliseconds()}")),
        string.Join(",", v.Withdrawals.Select(w => $"{w.Id}:{w.State}:{w.AmountCents}")));
}
