using System.Net;
using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The dispatcher's control-room board (/board/) in headless Chromium against the real server, PostgreSQL and Redis:
/// couriers on the real courier hub appear and move on the map, and the order lookup explains who got an order and why.
/// Screenshots go to artifacts/screenshots.
/// </summary>
public sealed class BoardPageTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    // A few metres from the Casino pickup (the nearest), and about 300 m further up the hill.
    private const double NearLat = 43.7397, NearLon = 7.4277;
    private const double FarLat = 43.7420, FarLon = 7.4302;
    private const double MovedLat = 43.7436, MovedLon = 7.4318;

    [Fact]
    public async Task Board_shows_couriers_live_and_explains_who_got_an_order()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var near = await server.OnlineCourierAtAsync("boardnear", NearLat, NearLon);
        await using var far = await server.OnlineCourierAtAsync("boardfar", FarLat, FarLon);
        var token = await server.TokenAsync("dispatcher", "d-1");
        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await page.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(token)}").ToString());

        // Signed in from the fragment (which leaves the address bar); the zone's couriers come with Watch.
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        Assert.DoesNotContain(token, page.Url, StringComparison.Ordinal);
        var counters = page.Locator("#counters");
        await Expect(counters).ToHaveAttributeAsync("data-couriers", "2");
        await Expect(counters).ToHaveAttributeAsync("data-idle", "2");
        await Expect(counters).ToHaveAttributeAsync("data-stale", "0");
        await Expect(page.Locator("#count-online")).ToHaveTextAsync("2");
        Assert.True(await page.EvaluateAsync<bool>("id => window.board.couriers.get(id)?.activity === 'idle'", near.Id.ToString()));

        // A move arrives in a frame and updates the stored position of that courier only.
        var nearBefore = await page.EvaluateAsync<double>("id => window.board.couriers.get(id).lat", near.Id.ToString());
        await far.MoveToAsync(MovedLat, MovedLon);
        await page.WaitForFunctionAsync(
            "([id, lat, lon]) => { const c = window.board.couriers.get(id); return !!c && Math.abs(c.lat - lat) < 1e-5 && Math.abs(c.lon - lon) < 1e-5; }",
            new object[] { far.Id.ToString(), MovedLat, MovedLon });
        Assert.Equal(nearBefore, await page.EvaluateAsync<double>("id => window.board.couriers.get(id).lat", near.Id.ToString()));
        Assert.True(await page.EvaluateAsync<int>("() => window.board.frames") >= 2);
        await Expect(counters).ToHaveAttributeAsync("data-couriers", "2");
        await HeadlessChromium.ScreenshotAsync(page, "board-0-couriers");

        // An order at the Casino goes to the nearest courier, who accepts; the lookup explains why.
        var order = await server.CreateOrderAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var offer = await near.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer to the nearest courier");
        await near.AcceptAsync(offer.OfferId);

        await page.Locator("#lookup-input").FillAsync(order.Id.ToString());
        await page.Locator("#lookup-button").ClickAsync();
        var result = page.Locator("#lookup-result");
        await Expect(result).ToBeVisibleAsync();
        await Expect(page.Locator("#order-number")).ToHaveTextAsync(order.Number);
        await Expect(result).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(page.Locator("#order-timeline li")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("#order-timeline")).ToContainTextAsync("Accepted");
        await Expect(page.Locator("#explanation .rule").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^sequential"));
        var chosen = page.Locator("#explanation tr.chosen");
        await Expect(chosen).ToHaveCountAsync(1);
        await Expect(chosen).ToHaveAttributeAsync("data-courier-id", near.Id.ToString());
        await Expect(chosen.Locator("td.name")).ToHaveTextAsync(near.Name);
        await Expect(chosen.Locator("td.answer")).ToContainTextAsync("Accepted");
        await Expect(page.Locator($"#explanation tr[data-courier-id='{far.Id}'] td.answer")).ToHaveTextAsync("—");
        await HeadlessChromium.ScreenshotAsync(page, "board-1-order-lookup");

        // A lookup of an id that is not an order says so.
        await page.Locator("#lookup-input").FillAsync("not-an-id");
        await page.Locator("#lookup-button").ClickAsync();
        await Expect(page.Locator("#lookup-error")).ToContainTextAsync("order's id");

        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task A_courier_token_is_refused_with_a_clear_message()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var member = (await server.FleetAsync("boardrefused", 1))[0];
        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await page.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(member.Token)}").ToString());

        await Expect(page.Locator("#signin-error")).ToContainTextAsync("This token is for a courier, not a dispatcher");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "signin");
        await Expect(page.Locator("#app")).ToBeHiddenAsync();
        await HeadlessChromium.ScreenshotAsync(page, "board-2-courier-refused");

        // A pasted dispatcher token then signs in.
        await page.Locator("#token-input").FillAsync(await server.TokenAsync("dispatcher", "d-2"));
        await page.Locator("#signin-button").ClickAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.Locator("#signin-error")).ToBeHiddenAsync();
        var zone = await page.Locator("body").GetAttributeAsync("data-watching");
        Assert.Equal("monaco", zone);
    }
}
