using System.Text.RegularExpressions;
using Dispatch.Core.Orders;
using Dispatch.Core.Payments;
using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The customer's ordering page on a phone in headless Chromium against the real server: sign in with the code sent to
/// the phone, pick a service and saved places, see the quote, order, pay with the sandbox, land on the tracking page, find the order
/// in the list and open its receipt.
/// </summary>
public sealed partial class OrderPageTests(CustomerServer server) : IClassFixture<CustomerServer>
{
    [Fact]
    public async Task A_customer_signs_in_with_a_code_gets_a_quote_orders_and_lands_on_tracking()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.ParcelFromOfficeToHomeAsync(server, "+33 6 33 00 00 01");
        await page.Locator("#quote-button").ClickAsync();
        await Expect(page.Locator("#quote")).ToBeVisibleAsync();
        await Expect(page.Locator("#quote-total")).ToHaveTextAsync(Euros());
        await Expect(page.Locator("#quote-lines li").First).ToContainTextAsync("Base fare");
        await HeadlessChromium.ScreenshotAsync(page, "order-0-quote");

        await page.Locator("#contact-name").FillAsync("Claire");
        await page.Locator("#place-button").ClickAsync();
        await Expect(page.Locator("#pay-amount")).ToHaveTextAsync(Euros());
        await HeadlessChromium.ScreenshotAsync(page, "order-0-pay");
        await page.Locator("#pay-button").ClickAsync();
        await page.WaitForURLAsync(TrackingUrl());
        var number = await server.ScalarAsync("select number from orders where customer_id is not null and merchant_id = 'customers' order by number desc limit 1");
        // Paid through the sandbox: the order left Placed (Paid, then dispatching) and its payment state says so.
        Assert.NotEqual((long)OrderStatus.Placed, await server.ScalarAsync("select status from orders where number = $1", number));
        Assert.Equal((long)PaymentState.Paid, await server.ScalarAsync("select payment_state from orders where number = $1", number));
        await Expect(page.Locator("#order-number")).ToHaveTextAsync($"D-{number:000000}");
        await HeadlessChromium.ScreenshotAsync(page, "order-1-tracking");

        // Back on the ordering page the session is still there and the order is in the list.
        await page.GotoAsync(new Uri(server.BaseUrl, "/order/").ToString());
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        await Expect(page.Locator("#orders li a")).ToHaveTextAsync($"D-{number:000000}");
        // Its receipt: the price lines and how it was paid.
        await page.Locator("#orders li .order-receipt-button").ClickAsync();
        await Expect(page.Locator("#orders li .order-receipt")).ToContainTextAsync("Base fare");
        await Expect(page.Locator("#orders li .order-receipt")).ToContainTextAsync("with sandbox");
        await HeadlessChromium.ScreenshotAsync(page, "order-2-list");
        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task A_quote_answered_after_the_customer_changed_the_trip_is_neither_shown_nor_ordered()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.ParcelFromOfficeToHomeAsync(server, "+33 6 33 00 00 09");
        // The quote's answer is held back while the customer swaps the drop-off for the pickup's place.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/api/quotes", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.Locator("#quote-button").ClickAsync();
        await page.Locator("#dropoff-saved").SelectOptionAsync(new SelectOptionValue { Label = "Office — Place du Casino" });
        var late = page.WaitForRequestFinishedAsync(new() { Predicate = r => r.Url.EndsWith("/api/quotes", StringComparison.Ordinal) });
        release.SetResult();
        await late;
        // The page has handled the late answer by the next frame: no price for a trip the customer no longer wants.
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))");
        await Expect(page.Locator("#quote")).ToBeHiddenAsync();
        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task A_customer_cancels_an_unaccepted_order_and_rates_a_delivered_one_from_the_list()
    {
        server.RequireServices();
        const string phone = "+33 6 33 00 00 02";
        var token = await server.CustomerTokenAsync(phone);
        var delivered = (await server.PlaceParcelAsync(token)).GetProperty("id").GetGuid();
        await server.ScalarAsync("update orders set status = $2, version = version + 1 where id = $1", delivered, (int)OrderStatus.Delivered);
        var waiting = (await server.PlaceParcelAsync(token)).GetProperty("id").GetGuid();

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.SignedInOnOrderPageAsync(server, server.Log, phone);

        await page.Locator($"[data-order-id='{waiting}'] .order-cancel").ClickAsync();
        await Expect(page.Locator($"[data-order-id='{waiting}']")).ToContainTextAsync("cancelled");
        await Expect(page.Locator($"[data-order-id='{waiting}'] .order-cancel")).ToHaveCountAsync(0);
        Assert.Equal((long)OrderStatus.Cancelled, await server.ScalarAsync("select status from orders where id = $1", waiting));

        var rate = page.Locator($"[data-order-id='{delivered}'] .order-rate");
        await rate.Locator("select").SelectOptionAsync("4");
        await rate.Locator("input").FillAsync("Quick and kind");
        await rate.Locator(".order-rate-send").ClickAsync();
        // The form leaves the row once the rating is stored and the list reloads.
        await Expect(page.Locator($"[data-order-id='{delivered}'] .order-rate")).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-order-id='{delivered}'] .status").First).ToContainTextAsync("★★★★");
        Assert.Equal(4, await server.ScalarAsync("select rating_stars from orders where id = $1", delivered));
        await HeadlessChromium.ScreenshotAsync(page, "order-3-cancel-rate");
        Assert.Empty(chromium.PageErrors);
    }

    [GeneratedRegex(@"€|EUR")]
    private static partial Regex Euros();

    [GeneratedRegex(@"/track/[^/]+$")]
    private static partial Regex TrackingUrl();
}
