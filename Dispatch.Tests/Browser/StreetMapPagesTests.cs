using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// Streets on the maps with no tile server: the tracking page, the board and the runner's job map draw Monaco's real road network from the
/// server's vector tiles (canvas tiles with features and painted pixels), with street names close up.
/// Screenshots go to artifacts/screenshots.
/// </summary>
public sealed class StreetMapPagesTests(RoadNetworkServer server) : IClassFixture<RoadNetworkServer>
{
    // Features the visible street tiles hold, and pixels painted on the first tile that has any.
    private const string Drawn = """
        () => {
          const tiles = [...document.querySelectorAll('canvas.street-tile[data-features]')];
          const features = tiles.reduce((sum, c) => sum + Number(c.dataset.features), 0);
          const labels = tiles.reduce((sum, c) => sum + Number(c.dataset.labels), 0);
          const tile = tiles.find((c) => Number(c.dataset.features) > 0);
          let painted = 0;
          if (tile) {
            const data = tile.getContext('2d').getImageData(0, 0, tile.width, tile.height).data;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
          }
          return { features, labels, painted };
        }
        """;

    private sealed record Streets
    {
        public int Features { get; init; }

        public int Labels { get; init; }

        public int Painted { get; init; }
    }

    private static async Task<Streets> StreetsDrawnAsync(IPage page, bool withLabels)
    {
        var condition = withLabels ? "s => s.features > 0 && s.painted > 500 && s.labels > 0" : "s => s.features > 0 && s.painted > 500";
        await page.WaitForFunctionAsync($"() => ({condition})(({Drawn})())");
        return await page.EvaluateAsync<Streets>(Drawn);
    }

    [Fact]
    public async Task Tracking_page_draws_the_streets_and_their_names_close_up()
    {
        server.RequireNetwork();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var order = await server.CreateOrderAsync();
        var page = await chromium.NewPageAsync(HeadlessChromium.Phone);
        await page.GotoAsync(new Uri(server.BaseUrl, $"/track/{order.TrackingToken}").ToString());
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "live");
        var streets = await StreetsDrawnAsync(page, withLabels: false);
        Assert.True(streets.Features > 20, $"tracking map streets: {streets}");
        await HeadlessChromium.ScreenshotAsync(page, "streets-tracking-phone");

        await page.Locator(".leaflet-control-zoom-in").ClickAsync();
        await page.Locator(".leaflet-control-zoom-in").ClickAsync();
        streets = await StreetsDrawnAsync(page, withLabels: true);
        Assert.True(streets.Labels > 0, $"tracking map street names: {streets}");
        await HeadlessChromium.ScreenshotAsync(page, "streets-tracking-phone-close");
        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task Runner_page_draws_the_streets_around_the_job()
    {
        server.RequireNetwork();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var member = (await server.FleetAsync("streetrunner", 1))[0];
        var phone = await chromium.OnlineRunnerAsync(server, member, DispatchServer.CasinoLat, DispatchServer.CasinoLon);
        var order = await server.CreateOrderAsync();
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);
        await Expect(phone.Locator("#offer-number")).ToHaveTextAsync(order.Number);
        await phone.Locator("#accept").ClickAsync();
        await Expect(phone.Locator("#job")).ToHaveAttributeAsync("data-status", "accepted");
        var streets = await StreetsDrawnAsync(phone, withLabels: false);
        Assert.True(streets.Features > 10, $"runner job map streets: {streets}");
        Assert.Equal(1, await phone.Locator("#job-map canvas.street-tile").First.CountAsync());
        await HeadlessChromium.ScreenshotAsync(phone, "streets-runner-job");
        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task Board_draws_the_streets_under_its_layers()
    {
        server.RequireNetwork();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var token = await server.TokenAsync("dispatcher", "d-streets");
        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await page.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(token)}").ToString());
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        var streets = await StreetsDrawnAsync(page, withLabels: false);
        Assert.True(streets.Features > 20, $"board streets: {streets}");
        // Under the zones and markers: the streets pane sits below every other pane of the map.
        var below = await page.EvaluateAsync<bool>("""
            () => {
              const z = (name) => Number(getComputedStyle(document.querySelector('.leaflet-' + name + '-pane')).zIndex);
              return z('streets') < z('zones') && z('streets') < z('overlay') && z('streets') < z('marker');
            }
            """);
        Assert.True(below, "the streets pane is under the zones, overlays and markers");
        await HeadlessChromium.ScreenshotAsync(page, "streets-board");
        Assert.Empty(chromium.PageErrors);
    }
}
