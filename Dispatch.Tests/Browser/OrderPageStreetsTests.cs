using Dispatch.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The ordering page's map in a zone with a road network: once signed in, the customer places pickup and drop-off over
/// Monaco's streets drawn from the server's vector tiles, under the zone outline.
/// </summary>
public sealed class OrderPageStreetsTests(CustomerRoadNetworkServer server) : IClassFixture<CustomerRoadNetworkServer>
{
    [Fact]
    public async Task Ordering_page_draws_the_streets_of_a_zone_with_a_road_network()
    {
        server.RequireNetwork();
        const string phone = "+33 6 33 00 00 31";
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.SignedInOnOrderPageAsync(server, server.Log, phone);

        var streets = await StreetMapPagesTests.StreetsDrawnAsync(page, withLabels: false);
        Assert.True(streets.Features > 20, $"ordering map streets: {streets}");
        Assert.True(await page.Locator("#map canvas.street-tile").CountAsync() > 0, "the street tiles are on the ordering map");
        var below = await page.EvaluateAsync<bool>("""
            () => {
              const z = (name) => Number(getComputedStyle(document.querySelector('#map .leaflet-' + name + '-pane')).zIndex);
              return z('streets') < z('zones') && z('streets') < z('overlay');
            }
            """);
        Assert.True(below, "the streets pane is under the zone outline and the pins");
        await HeadlessChromium.ScreenshotAsync(page, "streets-order-phone");
        Assert.Empty(chromium.PageErrors);
    }
}
