using System.Globalization;
using System.Net;
using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The dispatcher's control-room board (/board/) in headless Chromium against the real server, PostgreSQL and Redis:
/// couriers on the real courier hub appear and move on the map, the order lookup explains who got an order and why,
/// open orders and alerts arrive live, and a reassignment made on the board reaches the courier's runner page.
/// The server reports couriers silent for 5 s (<see cref="ControlRoomServer"/>). Screenshots go to artifacts/screenshots.
/// </summary>
public sealed class BoardPageTests(ControlRoomServer server) : IClassFixture<ControlRoomServer>
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
        await Expect(page.Locator($"#explanation tr[data-courier-id='{far.Id}'] td.why")).ToContainTextAsync("farther from the pickup (+");
        await HeadlessChromium.ScreenshotAsync(page, "board-1-order-lookup");

        // A search for something that is neither an order number, an id nor a phone says so (the server's problem details).
        await page.Locator("#lookup-input").FillAsync("not-an-id");
        await page.Locator("#lookup-button").ClickAsync();
        await Expect(page.Locator("#lookup-error")).ToContainTextAsync("neither an order number");

        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task Board_shows_a_new_order_and_an_alert_and_a_reassignment_reaches_the_runner_page()
    {
        server.RequireServices();
        const double pickupLat = 43.7315, pickupLon = 7.4185, runnerLat = 43.7318, runnerLon = 7.4187;
        await using var chromium = await HeadlessChromium.LaunchAsync();

        // A courier on the runner page, online a few metres from the pickup.
        var runner = (await server.FleetAsync("boardrunner", 1))[0];
        var phone = await chromium.OnlineRunnerAsync(server, runner, runnerLat, runnerLon);

        // Another courier stands at the pickup; their fixes are stamped far enough back that the server reports them silent.
        await using var silent = await server.OnlineCourierAtAsync("boardsilent", pickupLat, pickupLon);
        var token = await server.TokenAsync("dispatcher", "d-3");
        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await page.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(token)}").ToString());
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");

        // A new order shows up in the list and on the map; the courier at the pickup takes it.
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(pickupLat: pickupLat, pickupLon: pickupLon, dropoffLat: 43.7345, dropoffLon: 7.4210));
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var item = page.Locator($"#orders li[data-order-id='{order.Id}']");
        await Expect(item).ToBeVisibleAsync();
        await Expect(item.Locator(".oi-number")).ToHaveTextAsync(order.Number);
        await silent.AcceptAsync((await silent.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer to the courier at the pickup")).OfferId);
        await Expect(item).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(item.Locator(".oi-meta")).ToContainTextAsync(silent.Name);
        Assert.True(await page.EvaluateAsync<bool>("id => window.board.orders.get(id)?.status === 'accepted'", order.Id.ToString()));
        await Expect(page.Locator("#order-counters")).ToHaveAttributeAsync("data-assigned", new System.Text.RegularExpressions.Regex("^[1-9]"));

        // The silent courier is an alert, newest first, with what to do.
        var alert = page.Locator($"#alerts li[data-key='stale:{silent.Id:N}']");
        await Expect(alert).ToBeVisibleAsync();
        await Expect(alert).ToHaveAttributeAsync("data-kind", "staleCourier");
        await Expect(alert.Locator(".alert-title")).ToHaveTextAsync($"{silent.Name} is silent");
        await Expect(alert.Locator(".alert-detail")).ToContainTextAsync("holding 1 order");
        await HeadlessChromium.ScreenshotAsync(page, "board-3-orders-and-alerts");

        // The dispatcher opens the order and gives it to the courier on the runner page.
        await item.ClickAsync();
        var drawer = page.Locator("#lookup-result");
        await Expect(drawer).ToHaveAttributeAsync("data-order-id", order.Id.ToString());
        await Expect(page.Locator("#assign-label")).ToHaveTextAsync("Reassign to");
        await page.Locator("#assign-courier").SelectOptionAsync(runner.CourierId.ToString());
        await HeadlessChromium.ScreenshotAsync(page, "board-4-reassign");
        await page.Locator("#assign-button").ClickAsync();
        await Expect(page.Locator("#order-message")).ToContainTextAsync($"{order.Number} is now with {runner.Name}");

        var job = phone.Locator("#job");
        await Expect(job).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(phone.Locator("#job-number")).ToHaveTextAsync(order.Number);
        await Expect(phone.Locator("#target-address")).ToHaveTextAsync("Place du Casino");
        await HeadlessChromium.ScreenshotAsync(phone, "board-5-runner-got-the-job");
        var told = await silent.Reassigned.NextAsync(r => r.OrderId == order.Id, what: "notice to the courier who lost the order");
        Assert.Equal(order.Number, told.OrderNumber);
        await Expect(item.Locator(".oi-meta")).ToContainTextAsync(runner.Name);
        await Expect(page.Locator("#order-timeline")).ToContainTextAsync("reassigned by dispatcher");
        Assert.Equal(runner.CourierId, (await server.GetOrderAsync(order.Id)).CourierId);

        // Acknowledged, the alert leaves the list (and the server no longer lists it for any board).
        await alert.Locator(".alert-ack").ClickAsync();
        await Expect(alert).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.Locator($"#orders li[data-order-id='{order.Id}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"#alerts li[data-key='stale:{silent.Id:N}']")).ToHaveCountAsync(0);

        // Search by the customer's phone finds it, masked.
        await page.Locator("#lookup-input").FillAsync("+377 6 12 34 55 70");
        await page.Locator("#lookup-button").ClickAsync();
        await Expect(page.Locator("#list-title")).ToContainTextAsync("Search results");
        await Expect(page.Locator($"#orders li[data-order-id='{order.Id}'] .oi-meta")).ToContainTextAsync(Dispatch.Core.Orders.PhoneMask.Mask("+377 6 12 34 55 70"));
        await HeadlessChromium.ScreenshotAsync(page, "board-6-search");

        // The runner ends the shift (still holding the job, so the page asks first), leaving the zone as it found it.
        phone.Dialog += (_, dialog) => dialog.AcceptAsync();
        await phone.Locator("#go-offline").ClickAsync();
        await Expect(phone.Locator("#duty")).ToHaveTextAsync("Offline");

        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task Search_shows_More_when_another_page_follows_and_appends_it()
    {
        server.RequireServices();
        // One page more than the board asks for (100 a page), all for one customer phone no other test uses.
        const string phone = "+377 6 98 76 54 01";
        const int total = 103;
        var created = new List<Guid>();
        for (var i = 0; i < total; i++) created.Add((await server.CreateOrderAsync(DispatchServer.OrderBody(phone: phone))).Id);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var token = await server.TokenAsync("dispatcher", "d-more");
        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await page.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(token)}").ToString());
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "app");

        await page.Locator("#lookup-input").FillAsync(phone);
        await page.Locator("#lookup-button").ClickAsync();
        await Expect(page.Locator("#list-title")).ToHaveTextAsync("Search results (100)");
        await Expect(page.Locator("#orders li")).ToHaveCountAsync(100);
        var more = page.Locator("#search-more");
        await Expect(more).ToBeVisibleAsync();
        await more.ScrollIntoViewIfNeededAsync();
        await HeadlessChromium.ScreenshotAsync(page, "board-7-search-more");

        // The next page is appended under the first; the last page offers no more.
        await more.ClickAsync();
        await Expect(page.Locator("#orders li")).ToHaveCountAsync(total);
        await Expect(page.Locator("#list-title")).ToHaveTextAsync($"Search results ({total})");
        await Expect(more).ToBeHiddenAsync();
        var listed = await page.Locator("#orders li").EvaluateAllAsync<string[]>("items => items.map((li) => li.dataset.orderId)");
        Assert.Equal(created.Select(id => id.ToString()).Order(), listed.Order());

        // Back to open orders drops the results and the button.
        await page.Locator("#search-clear").ClickAsync();
        await Expect(page.Locator("#list-title")).ToContainTextAsync("Open orders");
        await Expect(more).ToBeHiddenAsync();
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
