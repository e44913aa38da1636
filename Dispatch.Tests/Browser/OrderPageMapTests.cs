using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The ordering page's errands on a phone in headless Chromium: pickup, a stop and drop-off set by tapping the map for a
/// multi-stop errand, and a shopping list with a price cap for buy-for-me; the server's copy of the order is what the
/// customer set on the page.
/// </summary>
public sealed partial class OrderPageMapTests(CustomerServer server) : IClassFixture<CustomerServer>
{
    // Between the casino and Fontvieille, inside Monaco.
    private const double StopLat = 43.7352, StopLon = 7.4232;

    // One tap lands within a pixel of the aimed point; at the page's zoom a pixel is a few metres.
    private const double Tolerance = 0.0002;

    [Fact]
    public async Task A_multi_stop_errand_set_by_tapping_the_map_is_quoted_with_the_stop_paid_and_ordered_as_tapped()
    {
        server.RequireServices();
        const string phone = "+33 6 33 00 00 21";
        var token = await server.CustomerTokenAsync(phone);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await SignedInAsync(chromium, phone);

        await page.Locator("[data-service=multi-stop]").ClickAsync();
        await Expect(page.Locator("#add-stop")).ToBeVisibleAsync();
        await Expect(page.Locator("#map-hint")).ToHaveTextAsync("Tap the map to set the pickup");
        await TapAsync(page, DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        await page.Locator("#pickup-address").FillAsync("Place du Casino");
        await Expect(page.Locator("#map-hint")).ToHaveTextAsync("Tap the map to set the drop-off");
        await page.Locator("#dropoff-address").FillAsync("Fontvieille harbour");
        await TapAsync(page, DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        await page.Locator("#add-stop").ClickAsync();
        await Expect(page.Locator("#map-hint")).ToHaveTextAsync("Tap the map to add the stop");
        await TapAsync(page, StopLat, StopLon);
        await Expect(page.Locator("#stop-list li")).ToHaveCountAsync(1);
        // The stop's address and what the courier does there, as the customer types and picks them.
        await page.Locator("#stop-list li .stop-address").FillAsync("Pharmacie Rue Grimaldi");
        await page.Locator("#stop-list li .stop-action").SelectOptionAsync("dropoff");

        await page.Locator("#quote-button").ClickAsync();
        await Expect(page.Locator("#quote")).ToBeVisibleAsync();
        await Expect(page.Locator("#quote-lines")).ToContainTextAsync("1 extra stop");
        await HeadlessChromium.ScreenshotAsync(page, "order-map-0-multi-stop-quote");
        await page.Locator("#contact-name").FillAsync("Claire");
        await page.Locator("#place-button").ClickAsync();
        await Expect(page.Locator("#pay-amount")).ToHaveTextAsync(Euros());
        await page.Locator("#pay-button").ClickAsync();
        await page.WaitForURLAsync(TrackingUrl());

        var order = await LatestOrderAsync(token);
        Assert.Equal("paid", order.GetProperty("paymentState").GetString());
        AssertAt(order.GetProperty("pickup"), DispatchServer.CasinoLat, DispatchServer.CasinoLon, "Place du Casino");
        AssertAt(order.GetProperty("dropoff"), DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon, "Fontvieille harbour");
        var stop = Assert.Single(order.GetProperty("stops").EnumerateArray().ToList());
        AssertAt(stop, StopLat, StopLon, "Pharmacie Rue Grimaldi");
        Assert.Equal("dropoff", stop.GetProperty("action").GetString());
        Assert.Contains(order.GetProperty("quote").GetProperty("lines").EnumerateArray(), l => l.GetProperty("label").GetString() == "1 extra stop");
        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task A_buy_for_me_errand_carries_the_shopping_list_and_price_cap_typed_on_the_page()
    {
        server.RequireServices();
        const string phone = "+33 6 33 00 00 22";
        var token = await server.CustomerTokenAsync(phone);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await SignedInAsync(chromium, phone);

        await page.Locator("[data-service=buy-for-me]").ClickAsync();
        await Expect(page.Locator("#shopping")).ToBeVisibleAsync();
        await Expect(page.Locator("#add-stop")).ToBeHiddenAsync();
        await TapAsync(page, DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        await page.Locator("#pickup-address").FillAsync("Pharmacie du Casino");
        await TapAsync(page, DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        await page.Locator("#dropoff-address").FillAsync("Fontvieille harbour");
        await page.Locator("#shopping-list").FillAsync("Paracetamol 500 mg\nThroat lozenges");
        await page.Locator("#price-cap").FillAsync("12.5");

        await page.Locator("#quote-button").ClickAsync();
        await Expect(page.Locator("#quote")).ToBeVisibleAsync();
        await Expect(page.Locator("#quote-lines li").First).ToContainTextAsync("Base fare");
        await page.Locator("#place-button").ClickAsync();
        await Expect(page.Locator("#pay-amount")).ToHaveTextAsync(Euros());
        await HeadlessChromium.ScreenshotAsync(page, "order-map-1-buy-for-me-pay");
        await page.Locator("#pay-button").ClickAsync();
        await page.WaitForURLAsync(TrackingUrl());

        var order = await LatestOrderAsync(token);
        var errand = order.GetProperty("buyForMe");
        Assert.Equal(1250, errand.GetProperty("priceCapCents").GetInt32());
        Assert.Equal("Paracetamol 500 mg\nThroat lozenges", errand.GetProperty("shoppingList").GetString());
        AssertAt(order.GetProperty("pickup"), DispatchServer.CasinoLat, DispatchServer.CasinoLon, "Pharmacie du Casino");
        AssertAt(order.GetProperty("dropoff"), DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon, "Fontvieille harbour");
        Assert.Equal(JsonValueKind.Null, order.GetProperty("stops").ValueKind);
        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task Switching_from_a_multi_stop_errand_to_a_parcel_drops_the_stops_from_the_map_and_the_next_tap()
    {
        server.RequireServices();
        const string phone = "+33 6 33 00 00 23";
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await SignedInAsync(chromium, phone);
        // The pins are the map's only interactive shapes (the zone outline is not).
        var pins = page.Locator("#map .leaflet-overlay-pane path.leaflet-interactive");

        await page.Locator("[data-service=multi-stop]").ClickAsync();
        await TapAsync(page, DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        await TapAsync(page, DispatchServer.FontvieilleLat, DispatchServer.FontvieilleLon);
        await page.Locator("#add-stop").ClickAsync();
        await TapAsync(page, StopLat, StopLon);
        await Expect(pins).ToHaveCountAsync(3);
        // The customer arms a second stop, then changes their mind: a parcel has no stops.
        await page.Locator("#add-stop").ClickAsync();
        await page.Locator("[data-service=parcel]").ClickAsync();
        await Expect(page.Locator("#stop-list")).ToBeHiddenAsync();
        await Expect(pins).ToHaveCountAsync(2);
        await Expect(page.Locator("#map-hint")).ToHaveTextAsync("Tap the map to set the drop-off");

        // The next tap moves the drop-off, not a stop the parcel cannot have; the quote is a parcel's.
        await TapAsync(page, StopLat, StopLon);
        await Expect(page.Locator("#stop-list li")).ToHaveCountAsync(0);
        await Expect(pins).ToHaveCountAsync(2);
        await page.Locator("#quote-button").ClickAsync();
        await Expect(page.Locator("#quote")).ToBeVisibleAsync();
        await Expect(page.Locator("#quote-error")).ToBeHiddenAsync();
        await Expect(page.Locator("#quote-lines")).Not.ToContainTextAsync("extra stop");
        Assert.Empty(chromium.PageErrors);
    }

    private async Task<IPage> SignedInAsync(HeadlessChromium chromium, string phone)
    {
        var page = await chromium.SignedInOnOrderPageAsync(server, server.Log, phone);
        await Expect(page.Locator("#services [data-service]").First).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Taps the map where this point is drawn, as a finger would (the page's map is window.orderMap).</summary>
    private static async Task TapAsync(IPage page, double lat, double lon)
    {
        var at = await page.EvaluateAsync<double[]>(
            "([lat, lon]) => { const p = window.orderMap.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }", new[] { lat, lon });
        var size = await page.Locator("#map").BoundingBoxAsync();
        Assert.True(at[0] > 0 && at[1] > 0 && at[0] < size!.Width && at[1] < size.Height,
            string.Create(CultureInfo.InvariantCulture, $"{lat},{lon} is drawn at {at[0]},{at[1]}, on the map"));
        await page.Locator("#map").ClickAsync(new() { Position = new() { X = (float)at[0], Y = (float)at[1] } });
    }

    private async Task<JsonElement> LatestOrderAsync(string token)
    {
        var list = await (await server.AsCustomerAsync(token, HttpMethod.Get, "/api/customers/me/orders")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var id = list.GetProperty("orders")[0].GetProperty("id").GetGuid();
        var response = await server.AsCustomerAsync(token, HttpMethod.Get, $"/api/customers/me/orders/{id}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
    }

    private static void AssertAt(JsonElement place, double lat, double lon, string address)
    {
        Assert.InRange(place.GetProperty("lat").GetDouble(), lat - Tolerance, lat + Tolerance);
        Assert.InRange(place.GetProperty("lon").GetDouble(), lon - Tolerance, lon + Tolerance);
        Assert.Equal(address, place.GetProperty("address").GetString());
    }

    [GeneratedRegex(@"€|EUR")]
    private static partial Regex Euros();

    [GeneratedRegex(@"/track/[^/]+$")]
    private static partial Regex TrackingUrl();
}
