using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>A customer signing in on the ordering page on a phone, with the code the Log adapter printed to <paramref name="log"/>.</summary>
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
}
