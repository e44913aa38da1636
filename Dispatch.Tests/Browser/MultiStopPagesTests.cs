using System.Globalization;
using System.Net;
using Dispatch.Core.Orders;
using Dispatch.Tests.Infrastructure;
using Dispatch.Tests.Server;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// Multi-stop errands across the runner, tracking and board pages in headless Chromium, against the real server, PostgreSQL
/// and Redis: the offer lists the stops, the runner ticks them off with "Done" in order, the customer sees each tick live
/// and the stops on the map, the PIN step appears only after the last stop, and the board's drawer lists them.
/// Screenshots go to artifacts/screenshots.
/// </summary>
public sealed class MultiStopPagesTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const double StartLat = 43.7397, StartLon = 7.4277;

    // About 55 m from the start: the errand ends round the corner, where the runner walks to hand it over.
    private const double DropoffLat = 43.7401, DropoffLon = 7.4281;

    [Fact]
    public async Task The_runner_does_the_stops_in_order_the_customer_sees_the_ticks_and_the_order_is_delivered()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var member = (await server.FleetAsync("stopspage", 1))[0];
        var runner = await chromium.OnlineRunnerAsync(server, member, StartLat, StartLon);

        var body = System.Text.Json.JsonSerializer.SerializeToNode(DispatchServer.OrderBody(dropoffLat: DropoffLat, dropoffLon: DropoffLon), DispatchServer.Json)!.AsObject();
        body["stops"] = MultiStopErrandTests.TwoStops();
        var order = await server.CreateOrderAsync(body);
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);

        // The offer shows the whole errand: pickup, the two stops, the drop-off.
        var offerStops = runner.Locator("#offer-stops .stop-via");
        await Expect(offerStops).ToHaveCountAsync(2);
        await Expect(offerStops.Nth(1)).ToContainTextAsync("Pressing Grimaldi");
        await Expect(offerStops.Nth(1)).ToContainTextAsync("Stop 2 · Collect");
        await HeadlessChromium.ScreenshotAsync(runner, "stops-0-runner-offer");
        await runner.Locator("#accept").ClickAsync();
        var job = runner.Locator("#job");
        await Expect(job).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(runner.Locator("#route-stop-list li")).ToHaveCountAsync(2);
        await Expect(runner.Locator("#route-stop-list button")).ToHaveCountAsync(0); // nothing to tick before pickup
        await Expect(runner.Locator("#target-sub")).ToContainTextAsync("Then 2 stops, then Quai Jean-Charles Rey");

        var customer = await chromium.NewPageAsync(HeadlessChromium.Phone);
        await customer.GotoAsync(new Uri(server.BaseUrl, $"/track/{order.TrackingToken}").ToString());
        await Expect(customer.Locator("#stops-card")).ToBeVisibleAsync();
        await Expect(customer.Locator("#stop-list li")).ToHaveCountAsync(2);
        await Expect(customer.Locator("#stops-count")).ToHaveTextAsync("0 of 2 done");
        await Expect(customer.Locator(".pin-stop")).ToHaveCountAsync(2);

        await runner.Locator("#btn-arrived").ClickAsync();
        await runner.Locator("#btn-picked-up").ClickAsync();
        await Expect(job).ToHaveAttributeAsync("data-status", "pickedUp");
        // Carrying: the target is stop 1, it has the big Done button, and there is no PIN step yet.
        await Expect(runner.Locator("#target-label")).ToHaveTextAsync("Stop 1 of 2 · Collect");
        await Expect(runner.Locator("#target-address")).ToHaveTextAsync("Chez Gérard, 4 rue Grimaldi");
        await Expect(runner.Locator("#route-stop-list button")).ToHaveCountAsync(1);
        await Expect(runner.Locator("#route-stop-list li[data-state='next'] button")).ToHaveTextAsync("Done: stop 1");
        await Expect(runner.Locator("#pin-form")).ToBeHiddenAsync();
        await Expect(runner.Locator("#stops-left")).ToContainTextAsync("after the last stop (2 to go)");
        await HeadlessChromium.ScreenshotAsync(runner, "stops-1-runner-first-stop");

        await runner.Locator("#route-stop-list li[data-state='next'] button").ClickAsync();
        await Expect(runner.Locator("#route-stop-list li[data-index='0']")).ToHaveAttributeAsync("data-state", "done");
        await Expect(runner.Locator("#route-stop-list li[data-index='0']")).ToContainTextAsync("Done at");
        await Expect(runner.Locator("#target-address")).ToHaveTextAsync("Pressing Grimaldi");
        await Expect(runner.Locator("#pin-form")).ToBeHiddenAsync();

        // The customer's page ticks stop 1 live, on the list and on the map.
        await Expect(customer.Locator("#stops-count")).ToHaveTextAsync("1 of 2 done");
        await Expect(customer.Locator("#stop-list li").Nth(0)).ToHaveAttributeAsync("data-done", "true");
        await Expect(customer.Locator("#stop-list li").Nth(1)).ToHaveAttributeAsync("data-done", "false");
        await Expect(customer.Locator(".pin-stop.pin-done")).ToHaveCountAsync(1);
        await HeadlessChromium.ScreenshotAsync(customer, "stops-2-tracking-one-done");

        await runner.Locator("#route-stop-list li[data-state='next'] button").ClickAsync();
        await Expect(runner.Locator("#route-stop-list li[data-state='done']")).ToHaveCountAsync(2);
        await Expect(runner.Locator("#route-stops-count")).ToHaveTextAsync("2 of 2 stops done");
        await Expect(runner.Locator("#target-label")).ToHaveTextAsync("Deliver to");
        await Expect(runner.Locator("#pin-form")).ToBeVisibleAsync();
        await Expect(runner.Locator("#stops-left")).ToBeHiddenAsync();
        await HeadlessChromium.ScreenshotAsync(runner, "stops-3-runner-all-done");
        await Expect(customer.Locator("#stops-count")).ToHaveTextAsync("2 of 2 done");
        await Expect(customer.Locator(".pin-stop.pin-done")).ToHaveCountAsync(2);

        // The board's drawer lists the stops with their times.
        var board = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        var dispatcher = await server.TokenAsync("dispatcher", "d-stops");
        await board.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(dispatcher)}").ToString());
        await Expect(board.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        var item = board.Locator($"#orders li[data-order-id='{order.Id}']");
        await item.ClickAsync();
        await Expect(board.Locator("#lookup-result")).ToHaveAttributeAsync("data-order-id", order.Id.ToString());
        await Expect(board.Locator("#order-stops li")).ToHaveCountAsync(2);
        await Expect(board.Locator("#order-stops-count")).ToHaveTextAsync("2 of 2 done");
        await Expect(board.Locator("#order-stops li").Nth(1)).ToContainTextAsync("Pressing Grimaldi");
        await Expect(board.Locator("#order-timeline")).ToContainTextAsync("stop 2 of 2 done: Pressing Grimaldi");
        await HeadlessChromium.ScreenshotAsync(board, "stops-4-board-drawer");

        // At the drop-off (the server refuses a hand-over farther than 150 m from it), typed as a manual position.
        await runner.Locator("#manual-position").FillAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DropoffLat}, {DropoffLon}"));
        await runner.Locator("#manual-set").ClickAsync();
        await server.WaitInGeoSetAsync(member.CourierId, DropoffLat, DropoffLon);
        await runner.Locator("#pin").FillAsync(order.Pin!);
        await runner.Locator("#btn-delivered").ClickAsync();
        await Expect(job).ToBeHiddenAsync();
        await Expect(runner.Locator("#delivered-count")).ToHaveTextAsync("1");
        await Expect(customer.Locator("body")).ToHaveAttributeAsync("data-status", "delivered");
        await HeadlessChromium.ScreenshotAsync(customer, "stops-5-tracking-delivered");
        Assert.Equal(OrderStatus.Delivered, (await server.GetOrderAsync(order.Id)).Status);

        await runner.Locator("#go-offline").ClickAsync();
        await Expect(runner.Locator("#duty")).ToHaveTextAsync("Offline");
        Assert.Empty(chromium.PageErrors);
    }
}
