using System.Globalization;
using System.Net;
using Dispatch.Core.Orders;
using Dispatch.Server.Fleet;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The courier's runner page (/runner/) in headless Chromium against the real server, PostgreSQL and Redis: a courier
/// goes online in manual position mode, gets an offer, accepts it and completes the delivery with the customer's PIN.
/// Screenshots go to artifacts/screenshots.
/// </summary>
public sealed class RunnerPageTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    // A few metres from the Casino pickup.
    private const double StartLat = 43.7397, StartLon = 7.4277;

    // About 55 m further on: the courier walks there with the goods.
    private const double DropoffLat = 43.7401, DropoffLon = 7.4281;

    [Fact]
    public async Task Courier_accepts_an_offer_and_delivers_with_the_pin()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var member = (await server.FleetAsync("runnerpage", 1))[0];
        var phone = await chromium.NewPageAsync(HeadlessChromium.Phone);
        var query = string.Create(CultureInfo.InvariantCulture, $"?lat={StartLat}&lon={StartLon}");
        await phone.GotoAsync(new Uri(server.BaseUrl, $"/runner/{query}#token={Uri.EscapeDataString(member.Token)}").ToString());

        // Signed in from the fragment (which leaves the address bar), manual position from the query, still offline.
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        await Expect(phone.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        Assert.DoesNotContain(member.Token, phone.Url, StringComparison.Ordinal);
        await Expect(phone.Locator("#position-status")).ToHaveAttributeAsync("data-fix", "manual");
        await Expect(phone.Locator("#shift")).ToBeVisibleAsync();
        await Expect(phone.Locator("#courier-name")).ToHaveTextAsync(member.Name);
        await phone.Locator("#equipment label", new() { HasText = "Insulated box" }).ClickAsync();
        await phone.Locator("#vehicle label", new() { HasText = "E-bike" }).ClickAsync();
        // The shift ends in two hours, typed as the courier's clock (the page's time zone) shows it.
        var shiftEnd = await phone.EvaluateAsync<string>("() => new Date(Date.now() + 2 * 3600 * 1000).toTimeString().slice(0, 5)");
        await phone.Locator("#shift-end").FillAsync(shiftEnd);
        await HeadlessChromium.ScreenshotAsync(phone, "runner-0-offline");

        await phone.Locator("#go-online").ClickAsync();
        await Expect(phone.Locator("#duty")).ToHaveTextAsync("Online");
        await Expect(phone.Locator("#courier-name")).ToHaveTextAsync(member.Name);
        await Expect(phone.Locator("#waiting")).ToBeVisibleAsync();
        await server.WaitInGeoSetAsync(member.CourierId, StartLat, StartLon);
        await Expect(phone.Locator("#position-status")).ToHaveAttributeAsync("data-sent", "true");
        var snapshot = await server.Services.GetRequiredService<Dispatch.Server.Fleet.FleetReader>().GetAsync(member.CourierId);
        Assert.NotNull(snapshot?.ShiftEndsAt);
        Assert.InRange((snapshot.ShiftEndsAt.Value - DateTimeOffset.UtcNow).TotalMinutes, 115, 121); // to the minute the courier chose
        await HeadlessChromium.ScreenshotAsync(phone, "runner-1-online");

        // An order nearby, delivered round the corner: the offer arrives with a countdown that runs down.
        var order = await server.CreateOrderAsync(DispatchServer.OrderBody(dropoffLat: DropoffLat, dropoffLon: DropoffLon));
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        var countdown = phone.Locator("#offer-countdown");
        await Expect(phone.Locator("#offer")).ToBeVisibleAsync();
        await Expect(phone.Locator("#offer-number")).ToHaveTextAsync(order.Number);
        await Expect(phone.Locator("#offer-pickup")).ToHaveTextAsync("Place du Casino");
        await Expect(countdown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(\d+ s|\d+:\d\d)$"));
        var left = int.Parse((await countdown.GetAttributeAsync("data-seconds-left"))!, CultureInfo.InvariantCulture);
        Assert.InRange(left, 1, 600);
        await phone.WaitForFunctionAsync("l => +document.getElementById('offer-countdown').dataset.secondsLeft < l", left);
        await HeadlessChromium.ScreenshotAsync(phone, "runner-2-offer");

        // The decline reasons open and close without declining.
        await phone.Locator("#decline").ClickAsync();
        await Expect(phone.Locator("#decline-panel")).ToBeVisibleAsync();
        await Expect(phone.Locator("#decline-confirm")).ToBeDisabledAsync();
        await phone.Locator("#reasons label", new() { HasText = "Too far" }).ClickAsync();
        await Expect(phone.Locator("#decline-confirm")).ToBeEnabledAsync();
        await HeadlessChromium.ScreenshotAsync(phone, "runner-3-decline-reasons");
        await phone.Locator("#decline-cancel").ClickAsync();

        await phone.Locator("#accept").ClickAsync();
        var job = phone.Locator("#job");
        await Expect(job).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(phone.Locator("#offer")).ToBeHiddenAsync();
        await Expect(phone.Locator("#job-number")).ToHaveTextAsync(order.Number);
        await Expect(phone.Locator("#target-address")).ToHaveTextAsync("Place du Casino");
        var nav = await phone.Locator("#nav-link").GetAttributeAsync("href");
        Assert.StartsWith("https://www.openstreetmap.org/directions?", nav, StringComparison.Ordinal);
        Assert.Contains("43.73960%2C7.42760", nav, StringComparison.Ordinal);
        await Expect(phone.Locator("#map-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^geo:43\\.73960,7\\.42760"));
        Assert.Equal(OrderStatus.Accepted, (await server.GetOrderAsync(order.Id)).Status);
        await HeadlessChromium.ScreenshotAsync(phone, "runner-4-to-pickup");

        await phone.Locator("#btn-arrived").ClickAsync();
        await Expect(job).ToHaveAttributeAsync("data-status", "arrivedAtPickup");
        await phone.Locator("#btn-picked-up").ClickAsync();
        await Expect(job).ToHaveAttributeAsync("data-status", "pickedUp");
        await Expect(phone.Locator("#target-address")).ToHaveTextAsync("Quai Jean-Charles Rey");
        await Expect(phone.Locator("#pin-form")).ToBeVisibleAsync();

        // At the drop-off (the server refuses a hand-over farther than 150 m from it), typed as a manual position.
        await phone.Locator("#manual-position").FillAsync(string.Create(CultureInfo.InvariantCulture, $"{DropoffLat}, {DropoffLon}"));
        await phone.Locator("#manual-set").ClickAsync();
        await server.WaitInGeoSetAsync(member.CourierId, DropoffLat, DropoffLon);

        // A wrong PIN: the server's refusal shows, and the job stays.
        var wrong = order.Pin == "0000" ? "1111" : "0000";
        await phone.Locator("#pin").FillAsync(wrong);
        await phone.Locator("#btn-delivered").ClickAsync();
        await Expect(phone.Locator("#job-error")).ToBeVisibleAsync();
        await Expect(phone.Locator("#job-error")).ToContainTextAsync("Wrong PIN");
        await Expect(job).ToBeVisibleAsync();
        await Expect(job).ToHaveAttributeAsync("data-status", "pickedUp");
        Assert.Equal(OrderStatus.PickedUp, (await server.GetOrderAsync(order.Id)).Status);
        await HeadlessChromium.ScreenshotAsync(phone, "runner-5-wrong-pin");

        await phone.Locator("#pin").FillAsync(order.Pin!);
        await phone.Locator("#btn-delivered").ClickAsync();
        await Expect(job).ToBeHiddenAsync();
        await Expect(phone.Locator("#toast")).ToContainTextAsync("delivered");
        await Expect(phone.Locator("#delivered-count")).ToHaveTextAsync("1");
        await Expect(phone.Locator("#waiting")).ToBeVisibleAsync();
        Assert.Equal(OrderStatus.Delivered, (await server.GetOrderAsync(order.Id)).Status);
        await HeadlessChromium.ScreenshotAsync(phone, "runner-6-delivered");

        await phone.Locator("#go-offline").ClickAsync();
        await Expect(phone.Locator("#duty")).ToHaveTextAsync("Offline");
        await Expect(phone.Locator("#shift")).ToBeVisibleAsync();

        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task Sign_in_box_accepts_a_pasted_token_and_rejects_a_bad_one()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var member = (await server.FleetAsync("runnersignin", 1))[0];
        var phone = await chromium.NewPageAsync(HeadlessChromium.Phone);
        await phone.GotoAsync(new Uri(server.BaseUrl, "/runner/").ToString());
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-state", "signin");
        await HeadlessChromium.ScreenshotAsync(phone, "runner-7-signin");

        await phone.Locator("#token-input").FillAsync("not-a-token");
        await phone.Locator("#signin-button").ClickAsync();
        await Expect(phone.Locator("#signin-error")).ToContainTextAsync("not accepted");
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-state", "signin");

        await phone.Locator("#token-input").FillAsync(member.Token);
        await phone.Locator("#signin-button").ClickAsync();
        await Expect(phone.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await Expect(phone.Locator("#shift")).ToBeVisibleAsync();
        // The token survives a reload in this tab.
        await phone.ReloadAsync();
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        await Expect(phone.Locator("#courier-name")).ToHaveTextAsync(member.Name);

        // Signing out forgets the token; the development server's demo courier signs straight in.
        await phone.Locator("#signout").ClickAsync();
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-state", "signin");
        await phone.ReloadAsync();
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-state", "signin");
        await phone.Locator("#demo-button").ClickAsync();
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        await Expect(phone.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await Expect(phone.Locator("#courier-name")).Not.ToHaveTextAsync("Courier");
    }
}
