using System.Globalization;
using System.Net;
using Dispatch.Server.Auth;
using Dispatch.Server.Tracking;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The customer tracking page (/track/{token}) in headless Chromium against the real server, PostgreSQL and Redis,
/// while a courier on the real courier hub drives the order. Screenshots go to artifacts/screenshots.
/// </summary>
public sealed class TrackingPageTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    // Steps from the Casino pickup towards the Fontvieille drop-off, about 230 m apart.
    private static readonly (double Lat, double Lon)[] Drive = [(43.7380, 7.4262), (43.7362, 7.4246), (43.7344, 7.4229)];

    [Fact]
    public async Task Page_shows_the_courier_moving_and_the_eta_changing_as_the_courier_drives()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var courier = await server.OnlineCourierAtAsync("trackpage", 43.7420, 7.4302);
        var order = await server.CreateOrderAsync();
        var url = new Uri(server.BaseUrl, $"/track/{order.TrackingToken}").ToString();
        var phone = await chromium.NewPageAsync(HeadlessChromium.Phone);
        var desktop = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await phone.GotoAsync(url);
        await desktop.GotoAsync(url);
        var marker = phone.Locator("#courier-marker");
        var eta = phone.Locator("#eta");
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-state", "live");
        await Expect(phone.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await Expect(phone.Locator("#order-number")).ToHaveTextAsync(order.Number);
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-status", "placed");
        await Expect(marker).ToHaveCountAsync(0);

        // Paid and offered: the customer sees "finding a courier", never the internal offer.
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var offer = await courier.Offers.NextAsync(o => o.OrderId == order.Id, what: "offer");
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-status", "dispatching"); // an offer is not the customer's business
        await Expect(phone.Locator("#headline")).ToHaveTextAsync("Finding a courier for you");
        await Expect(phone.Locator("#timeline")).Not.ToContainTextAsync("ffer");
        await HeadlessChromium.ScreenshotAsync(phone, "tracking-0-finding-courier-phone");

        // Accepted, before pickup: the courier appears (name and masked phone from the snapshot), but only approximately.
        await courier.AcceptAsync(offer.OfferId);
        await Expect(phone.Locator("#courier-name")).ToHaveTextAsync(courier.Name.Split(' ')[0]);
        await Expect(phone.Locator("#courier-phone")).ToContainTextAsync("****");
        await Expect(marker).ToHaveAttributeAsync("data-coarse", "true");
        await Expect(phone.Locator("#approx")).ToBeVisibleAsync();
        await Expect(phone.Locator("#timeline li.done, #timeline li.current")).ToHaveCountAsync(4); // placed, paid, finding, accepted
        await Expect(phone.Locator("#timeline")).ToContainTextAsync("accepted your order");
        await Expect(desktop.Locator("#courier-marker")).ToHaveAttributeAsync("data-coarse", "true");
        await HeadlessChromium.ScreenshotAsync(phone, "tracking-1-accepted-phone");
        await HeadlessChromium.ScreenshotAsync(desktop, "tracking-1-accepted-desktop");

        // The ETA counts down between pushes.
        var left = int.Parse((await eta.GetAttributeAsync("data-eta-left"))!, CultureInfo.InvariantCulture);
        await phone.WaitForFunctionAsync("l => +document.getElementById('eta').dataset.etaLeft < l", left);

        // Picked up: the position becomes exact, and every step of the drive moves the marker and lowers the ETA.
        await courier.MoveToAsync(DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        await courier.ArrivedAsync(order.Id);
        await courier.PickedUpAsync(order.Id);
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-status", "pickedUp");
        var etaSeconds = int.MaxValue;
        foreach (var (lat, lon) in Drive)
        {
            var drawnAt = await marker.EvaluateAsync<string>("e => e.style.transform");
            var etaText = await eta.InnerTextAsync();
            await courier.MoveToAsync(lat, lon);
            await Expect(marker).ToHaveAttributeAsync("data-lat", lat.ToString("F6", CultureInfo.InvariantCulture));
            await Expect(marker).ToHaveAttributeAsync("data-lon", lon.ToString("F6", CultureInfo.InvariantCulture));
            await Expect(marker).ToHaveAttributeAsync("data-coarse", "false");
            await phone.WaitForFunctionAsync("t => document.getElementById('courier-marker').style.transform !== t", drawnAt);
            await phone.WaitForFunctionAsync("s => +document.getElementById('eta').dataset.etaSeconds < s", etaSeconds);
            await Expect(eta).Not.ToHaveTextAsync(etaText);
            etaSeconds = int.Parse((await eta.GetAttributeAsync("data-eta-seconds"))!, CultureInfo.InvariantCulture);
            Assert.InRange(etaSeconds, 1, 3600);
        }
        await Expect(phone.Locator("#approx")).ToBeHiddenAsync();
        await Expect(phone.Locator("#headline")).ToContainTextAsync("on the way");
        await Expect(desktop.Locator("#courier-marker")).ToHaveAttributeAsync("data-lat", Drive[^1].Lat.ToString("F6", CultureInfo.InvariantCulture));
        // Let the last glide finish so the picture shows the marker where the courier is.
        await phone.WaitForFunctionAsync("() => !document.querySelector('.leaflet-marker-pane').dataset.animating");
        await HeadlessChromium.ScreenshotAsync(phone, "tracking-2-on-the-way-phone");
        await HeadlessChromium.ScreenshotAsync(desktop, "tracking-2-on-the-way-desktop");

        await courier.DeliverAtDropoffAsync(order);
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-status", "delivered");
        await Expect(phone.Locator("#timeline li").Last).ToContainTextAsync("Delivered");
        await Expect(phone.Locator("#eta-label")).ToHaveTextAsync("Delivered at");
        await HeadlessChromium.ScreenshotAsync(phone, "tracking-3-delivered-phone");

        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task Wrong_or_expired_link_shows_a_clear_message_and_no_order_data()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var order = await server.CreateOrderAsync();
        var expired = server.Services.GetRequiredService<TrackingLinks>().Create(order.Id, DateTimeOffset.UtcNow.AddMinutes(-1));

        foreach (var (token, message, name) in new[]
        {
            ("not-a-real-tracking-token", TrackingHub.InvalidMessage, "tracking-4-invalid-link"),
            (expired, TrackingHub.ExpiredMessage, "tracking-5-expired-link"),
        })
        {
            var page = await chromium.NewPageAsync(HeadlessChromium.Phone);
            await page.GotoAsync(new Uri(server.BaseUrl, $"/track/{token}").ToString());
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "error");
            await Expect(page.Locator("#message")).ToBeVisibleAsync();
            await Expect(page.Locator("#message-text")).ToHaveTextAsync(message);
            await Expect(page.Locator("#app")).ToBeHiddenAsync();
            Assert.Equal(0, await page.Locator(".leaflet-marker-icon").CountAsync());
            Assert.Equal("", await page.Locator("#order-number").TextContentAsync());
            Assert.DoesNotContain(order.Number, await page.ContentAsync(), StringComparison.Ordinal);
            await HeadlessChromium.ScreenshotAsync(page, name);
            await page.Context.CloseAsync();
        }

        Assert.Empty(chromium.PageErrors);
    }
}
