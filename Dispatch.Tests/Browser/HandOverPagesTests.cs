using Dispatch.Core.Orders;
using Dispatch.Server.Auth;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The pages' side of the hand-over and of token expiry, in headless Chromium against the real server: a dispatcher
/// unlocks PIN entry and allows delivery away from the drop-off from the board's order drawer; the runner and the board
/// sign out saying the token expired when the server closes their connection, instead of reconnecting in a loop.
/// </summary>
public sealed class HandOverPagesTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const double PickupLat = 43.7350, PickupLon = 7.4210;

    [Fact]
    public async Task A_dispatcher_unlocks_pin_entry_and_allows_any_place_from_the_order_drawer()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var courier = await server.OnlineCourierAtAsync("hand-board", PickupLat, PickupLon);
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: PickupLat, pickupLon: PickupLon, dropoffLat: PickupLat + 0.004, dropoffLon: PickupLon));
        await server.PayAsync(order.Id);
        await courier.AcceptAsync((await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer")).OfferId);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        // Five wrong PINs at the drop-off lock PIN entry; then the courier walks back towards the pickup.
        await courier.MoveToAsync(PickupLat + 0.004, PickupLon);
        var wrong = order.Pin == "0000" ? "1111" : "0000";
        for (var i = 0; i < 5; i++) await Assert.ThrowsAsync<HubException>(() => courier.DeliveredAsync(order.Id, wrong));
        await courier.MoveToAsync(PickupLat + 0.001, PickupLon);

        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        var token = await server.TokenAsync("dispatcher", "d-hand");
        await page.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(token)}").ToString());
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        // The board raises the lock as an alert; its Open button brings up the order's drawer with the hand-over box.
        var alert = page.Locator($"#alerts li[data-key='pin-locked:{order.Id:N}']");
        await Expect(alert).ToHaveAttributeAsync("data-kind", "pinLocked");
        await Expect(alert).ToContainTextAsync($"{order.Number} PIN locked");
        await alert.Locator(".alert-open").ClickAsync();
        await Expect(page.Locator("#lookup-result")).ToHaveAttributeAsync("data-order-id", order.Id.ToString());
        await Expect(page.Locator("#handover-box")).ToBeVisibleAsync();

        await page.Locator("#unlock-pin-button").ClickAsync();
        await Expect(page.Locator("#order-error")).ToContainTextAsync("Say why");
        await page.Locator("#handover-reason").FillAsync("customer read the PIN out again");
        await page.Locator("#unlock-pin-button").ClickAsync();
        await Expect(page.Locator("#order-message")).ToContainTextAsync("PIN entry unlocked");
        await Expect(page.Locator("#order-timeline")).ToContainTextAsync("customer read the PIN out again");
        await page.Locator("#handover-reason").FillAsync("again");
        await page.Locator("#unlock-pin-button").ClickAsync();
        await Expect(page.Locator("#order-error")).ToContainTextAsync("is not locked");

        await page.Locator("#handover-reason").FillAsync("customer meets the courier on the way");
        await page.Locator("#allow-place-button").ClickAsync();
        await Expect(page.Locator("#order-message")).ToContainTextAsync("deliver away from the drop-off");
        await Expect(page.Locator("#order-timeline")).ToContainTextAsync("customer meets the courier on the way");
        await HeadlessChromium.ScreenshotAsync(page, "board-handover");

        Assert.Equal(OrderStatus.Delivered, (await courier.DeliveredAsync(order.Id, order.Pin!)).Status);
        // The refused second unlock (409) is logged by Chromium as a failed resource; nothing else may be.
        Assert.DoesNotContain(chromium.PageErrors, e => !e.Contains("Failed to load resource", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_runner_and_the_board_sign_out_saying_so_when_their_token_expires()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var issuer = server.Services.GetRequiredService<TokenIssuer>();
        var member = (await server.FleetAsync("hand-expiry", 1))[0];
        var courierToken = issuer.Issue(member.CourierId.ToString(), Roles.Courier, member.Name, TimeSpan.FromSeconds(5));
        var dispatcherToken = issuer.Issue("d-expiry", Roles.Dispatcher, lifetime: TimeSpan.FromSeconds(5));

        var phone = await chromium.NewPageAsync(HeadlessChromium.Phone);
        var start = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"?lat={PickupLat}&lon={PickupLon}");
        await phone.GotoAsync(new Uri(server.BaseUrl, $"/runner/{start}#token={Uri.EscapeDataString(courierToken)}").ToString());
        var board = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await board.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(dispatcherToken)}").ToString());
        await Expect(phone.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await Expect(board.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");

        var expiry = new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 };
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-state", "signin", expiry);
        await Expect(phone.Locator("#signin-error")).ToContainTextAsync("expired");
        await Expect(board.Locator("body")).ToHaveAttributeAsync("data-state", "signin", expiry);
        await Expect(board.Locator("#signin-error")).ToContainTextAsync("expired");
        Assert.Empty(chromium.PageErrors);
    }
}
