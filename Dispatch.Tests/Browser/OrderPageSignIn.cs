using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>A customer signing in on the ordering page on a phone, with the code the Log adapter printed to the server's log.</summary>
public static class OrderPageSignIn
{
    public static async Task<IPage> SignedInOnOrderPageAsync(this HeadlessChromium chromium, DispatchServer server, LogLines log, string phone)
    {
        var page = await chromium.NewPageAsync(HeadlessChromium.Phone);
        await page.GotoAsync(new Uri(server.BaseUrl, "/order/").ToString());
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "signin");
        await page.Locator("#phone-input").FillAsync(phone);
        await page.Locator("#code-button").ClickAsync();
        await Expect(page.Locator("#code-sent")).ToBeVisibleAsync();
        await page.Locator("#code-input").FillAsync(CustomerApp.LastCode(log, phone));
        await page.Locator("#signin-button").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        return page;
    }

    /// <summary>A customer with two saved places (Office, Home), signed in on the ordering page, a parcel from Office to Home picked.</summary>
    public static async Task<IPage> ParcelFromOfficeToHomeAsync(this HeadlessChromium chromium, CustomerServer server, string phone)
    {
        ArgumentNullException.ThrowIfNull(server);
        var token = await server.CustomerTokenAsync(phone);
        await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/addresses",
            new { label = "Office", address = "Place du Casino", lat = DispatchServer.CasinoLat, lon = DispatchServer.CasinoLon });
        await server.AsCustomerAsync(token, HttpMethod.Post, "/api/customers/me/addresses",
            new { label = "Home", address = "Fontvieille harbour", lat = DispatchServer.FontvieilleLat, lon = DispatchServer.FontvieilleLon });
        var page = await chromium.SignedInOnOrderPageAsync(server, server.Log, phone);
        await page.Locator("[data-service=parcel]").ClickAsync();
        await page.Locator("#pickup-saved").SelectOptionAsync(new SelectOptionValue { Label = "Office — Place du Casino" });
        await page.Locator("#dropoff-saved").SelectOptionAsync(new SelectOptionValue { Label = "Home — Fontvieille harbour" });
        return page;
    }
}
