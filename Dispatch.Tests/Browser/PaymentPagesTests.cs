using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Payments;
using Dispatch.Server.Payments;
using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// An order paid with the sandbox that fails after pickup: the refund keeps Payments:KeepPercentAfterPickup (50) percent
/// and gives the rest back, and the board's order drawer shows the price, the payment and the refund.
/// </summary>
public sealed class PaymentPagesTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const double PickupLat = 43.7362, PickupLon = 7.4232;

    [Fact]
    public async Task A_paid_order_failed_after_pickup_refunds_by_the_rule_and_the_drawer_shows_it()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var courier = await server.OnlineCourierAtAsync("pay-board", PickupLat, PickupLon);
        var body = JsonSerializer.SerializeToNode(DispatchServer.OrderBody(pickupLat: PickupLat, pickupLon: PickupLon), DispatchServer.Json)!.AsObject();
        body["deliveryFeeCents"] = 1000;
        var order = await server.CreateOrderAsync(body);
        var start = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/payments", "admin", new { provider = "sandbox" });
        var started = (await start.Content.ReadFromJsonAsync<StartedPayment>(DispatchServer.Json))!;
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync(started.Client["payUrl"], null)).StatusCode);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);

        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/fail", "dispatcher", new { reason = "customer not reachable" })).StatusCode);
        var refunded = await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.State == PaymentState.PartlyRefunded, "the refund after pickup");
        Assert.Equal(500, refunded.Payment!.RefundedCents);
        Assert.Equal(RefundReason.FailedAfterPickup, Assert.Single(refunded.Payment.Refunds).Reason);

        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        var token = await server.TokenAsync("dispatcher", "d-pay-board");
        await page.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(token)}").ToString());
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await page.Locator("#lookup-input").FillAsync(order.Id.ToString());
        await page.Locator("#lookup-button").ClickAsync();
        await Expect(page.Locator("#lookup-result")).ToHaveAttributeAsync("data-status", "failed");
        await Expect(page.Locator("#order-payment")).ToContainTextAsync("10.00 EUR · partlyRefunded via sandbox · refunded 5.00 EUR");
        await HeadlessChromium.ScreenshotAsync(page, "board-payment");
        Assert.Empty(chromium.PageErrors);
    }
}
