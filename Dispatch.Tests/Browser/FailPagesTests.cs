using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The board's side of marking an order failed, in headless Chromium against the real server: the box shows only for a carried
/// order, asks for a reason, and the failure lands in the order's timeline while the courier is told.
/// </summary>
public sealed class FailPagesTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const double PickupLat = 43.7360, PickupLon = 7.4230;

    [Fact]
    public async Task A_dispatcher_marks_a_carried_order_failed_from_the_order_drawer()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var courier = await server.OnlineCourierAtAsync("fail-board", PickupLat, PickupLon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: PickupLat, pickupLon: PickupLon));
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);

        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        var token = await server.TokenAsync("dispatcher", "d-fail-board");
        await page.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(token)}").ToString());
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await page.Locator("#lookup-input").FillAsync(order.Id.ToString());
        await page.Locator("#lookup-button").ClickAsync();
        await Expect(page.Locator("#lookup-result")).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(page.Locator("#fail-box")).ToBeHiddenAsync(); // before pickup the order is cancelled, not failed

        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        await page.Locator("#lookup-button").ClickAsync();
        await Expect(page.Locator("#lookup-result")).ToHaveAttributeAsync("data-status", "pickedUp");
        await Expect(page.Locator("#fail-box")).ToBeVisibleAsync();
        await page.Locator("#fail-button").ClickAsync();
        await Expect(page.Locator("#order-error")).ToContainTextAsync("Say why the order failed");

        await page.Locator("#fail-reason").FillAsync("goods dropped in the harbour");
        await page.Locator("#fail-button").ClickAsync();
        await Expect(page.Locator("#order-message")).ToContainTextAsync("Order marked failed");
        await Expect(page.Locator("#lookup-result")).ToHaveAttributeAsync("data-status", "failed");
        await Expect(page.Locator("#order-timeline")).ToContainTextAsync("goods dropped in the harbour");
        await Expect(page.Locator("#fail-box")).ToBeHiddenAsync();
        await HeadlessChromium.ScreenshotAsync(page, "board-fail");

        var notice = await courier.Cancelled.NextAsync(c => c.OrderId == order.Id, what: "failure notice to the courier");
        Assert.Contains("goods dropped in the harbour", notice.Reason, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Failed, (await server.GetOrderAsync(order.Id)).Status);
        Assert.Empty(chromium.PageErrors);
    }
}
