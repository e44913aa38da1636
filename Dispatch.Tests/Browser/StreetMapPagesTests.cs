using System.Net.Http.Json;
using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// Streets on the maps with no tile server: the tracking page, the board, the runner's job map and the admin's zone editor draw Monaco's real road network from the
/// server's vector tiles (canvas tiles with features and painted pixels), with street names close up.
/// Screenshots go to artifacts/screenshots.
/// </summary>
public sealed class StreetMapPagesTests(RoadNetworkServer server) : IClassFixture<RoadNetworkServer>
{
    // Features the visible street tiles hold, and pixels painted on the tile that holds most (a tile with a street's tip paints little).
    private const string Drawn = """
        () => {
          const tiles = [...document.querySelectorAll('canvas.street-tile[data-features]')];
          const features = tiles.reduce((sum, c) => sum + Number(c.dataset.features), 0);
          const labels = tiles.reduce((sum, c) => sum + Number(c.dataset.labels), 0);
          const tile = tiles.reduce((best, c) => (Number(c.dataset.features) > Number(best?.dataset.features ?? 0) ? c : best), null);
          let painted = 0;
          if (tile) {
            const data = tile.getContext('2d').getImageData(0, 0, tile.width, tile.height).data;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
          }
          return { features, labels, painted };
        }
        """;

    internal sealed record Streets
    {
        public int Features { get; init; }

        public int Labels { get; init; }

        public int Painted { get; init; }
    }

    internal static async Task<Streets> StreetsDrawnAsync(IPage page, bool withLabels)
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

    [Fact]
    public async Task Zone_editor_draws_the_streets_under_the_zones_and_saves_a_boundary_drawn_alongside()
    {
        server.RequireNetwork();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await page.GotoAsync(new Uri(server.BaseUrl, "/admin/").ToString());
        await page.Locator("#token-input").FillAsync(await server.TokenAsync("admin", "a-zones"));
        await page.Locator("#signin-button").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        await page.Locator(".tab[data-tab='zones']").ClickAsync();

        var streets = await StreetsDrawnAsync(page, withLabels: false);
        Assert.True(streets.Features > 20, $"zone editor streets: {streets}");
        Assert.True(await page.Locator("#zone-map canvas.street-tile").CountAsync() > 0, "the street tiles are on the editor's map");
        var below = await page.EvaluateAsync<bool>("""
            () => {
              const z = (name) => Number(getComputedStyle(document.querySelector('#zone-map .leaflet-' + name + '-pane')).zIndex);
              return z('streets') < z('zones') && z('streets') < z('overlay');
            }
            """);
        Assert.True(below, "the streets pane is under the zones and the drawn boundary");
        await Expect(page.Locator("#zone-map path.zone")).ToHaveCountAsync(1);

        // Four corners clicked just east of Monaco's box (on the map: the editor leaves room around the zones) make a new zone.
        var corners = await page.EvaluateAsync<double[][]>("""
            async () => {
              const monaco = (await (await fetch('/api/zones')).json()).find((z) => z.name === 'monaco');
              const b = monaco.bounds, lat = (b.minLat + b.maxLat) / 2, lon = b.maxLon;
              const map = window.zoneEditor.map;
              return [[lat - 0.001, lon + 0.0008], [lat - 0.001, lon + 0.0028], [lat + 0.001, lon + 0.0028], [lat + 0.001, lon + 0.0008]]
                .map((c) => map.latLngToContainerPoint(c)).map((p) => [p.x, p.y]);
            }
            """);
        var size = await page.Locator("#zone-map").BoundingBoxAsync();
        foreach (var c in corners)
        {
            Assert.True(c[0] > 0 && c[1] > 0 && c[0] < size!.Width && c[1] < size.Height, $"corner {c[0]},{c[1]} is on the map");
            await page.Locator("#zone-map").ClickAsync(new() { Position = new() { X = (float)c[0], Y = (float)c[1] } });
        }
        await Expect(page.Locator("#zone-corners")).ToHaveTextAsync("4 corners");
        await page.Locator("#zone-name").FillAsync("monaco_east");
        await HeadlessChromium.ScreenshotAsync(page, "streets-zone-editor");
        await page.Locator("#zone-save").ClickAsync();
        await Expect(page.Locator("#zone-saved")).ToHaveTextAsync("Zone monaco_east saved.");
        await Expect(page.Locator("#zone-map path.zone")).ToHaveCountAsync(2);

        var zones = await (await server.CallAsync(HttpMethod.Get, "/api/zones", "admin")).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var saved = zones.EnumerateArray().Single(z => z.GetProperty("name").GetString() == "monaco_east");
        Assert.Equal(5, saved.GetProperty("boundary").GetArrayLength()); // four corners, the ring closed
        Assert.Empty(chromium.PageErrors);

        // The class's other tests serve Monaco alone.
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await server.CallAsync(HttpMethod.Delete, "/api/zones/monaco_east", "admin")).StatusCode);
    }
}
