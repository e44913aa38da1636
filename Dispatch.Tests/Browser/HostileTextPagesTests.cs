using System.Net;
using System.Text.Json.Nodes;
using Dispatch.Server.Auth;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// Markup and script in everything a merchant or a courier can type (customer name, addresses, items, shopping list, stop
/// address and note, the courier's name) shows as text on the tracking page, the board (list, drawer, search) and the
/// runner page in Chromium (map tooltips included): no element is made from it, no dialog opens, the payloads' window flag
/// stays unset, and the pages log no error (a Content-Security-Policy refusal included). And were a page ever to insert
/// markup, its Content-Security-Policy refuses the inline handler.
/// </summary>
public sealed class HostileTextPagesTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private const string Img = "<img src=x onerror=window.__xss=1;alert(1)>";
    private const string Script = "</script><script>window.__xss=2;alert(2)</script>";
    private const string Link = "<a href=\"javascript:window.__xss=3\">javascript:alert(3)</a>";
    private const string CourierName = Img + " " + Script;
    private const double StartLat = 43.7397, StartLon = 7.4277;

    /// <summary>Nothing the payloads would make exists, and none of them ran.</summary>
    private const string Untouched = """
        () => window.__xss === undefined
          && document.querySelectorAll('img[src="x"], a[href^="javascript:"], iframe, object, embed').length === 0
          && [...document.scripts].every((s) => s.src)
        """;

    /// <summary>Keeps the pages' Leaflet maps reachable (set before the page's scripts run), to hover a marker at a known place.</summary>
    private const string CaptureMaps = """
        (() => {
          let leaflet;
          Object.defineProperty(window, "L", {
            configurable: true,
            get: () => leaflet,
            set: (v) => { leaflet = v; v.Map.addInitHook(function () { (window.__maps = window.__maps || []).push(this); }); },
          });
        })();
        """;

    /// <summary>
    /// Defence in depth: an inline handler injected as if a page had a bug is refused by the policy, not run.
    /// Resolves "blocked:&lt;directive&gt;" or "ran".
    /// </summary>
    private const string InjectedHandler = """
        () => new Promise((resolve) => {
          document.addEventListener("securitypolicyviolation", (e) => resolve("blocked:" + e.effectiveDirective), { once: true });
          document.body.insertAdjacentHTML("beforeend", '<img id="csp-probe" src="x" onerror="window.__probe = 1">');
          document.getElementById("csp-probe").addEventListener("error", () => { if (window.__probe) resolve("ran"); });
        })
        """;

    private static JsonObject Body() => new()
    {
        ["kind"] = "errand",
        ["pickup"] = new JsonObject { ["lat"] = DispatchServer.CasinoLat, ["lon"] = DispatchServer.CasinoLon, ["address"] = $"{Script} Place du Casino" },
        ["dropoff"] = new JsonObject { ["lat"] = DispatchServer.FontvieilleLat, ["lon"] = DispatchServer.FontvieilleLon, ["address"] = $"{Link} Quai" },
        ["customerName"] = $"Eve {Img}",
        ["customerPhone"] = "+377 6 99 88 77 66",
        ["items"] = new JsonArray(Img, Script, Link),
        ["promisedAt"] = DateTimeOffset.UtcNow.AddMinutes(45),
        ["buyForMe"] = new JsonObject { ["priceCapCents"] = 2500, ["shoppingList"] = $"{Link} {Img}" },
        ["stops"] = new JsonArray(new JsonObject
        {
            ["lat"] = 43.7352, ["lon"] = 7.4213, ["address"] = $"{Img} Grimaldi", ["action"] = "pickup", ["note"] = Script,
        }),
    };

    [Fact]
    public async Task Markup_and_script_in_every_field_show_as_text_and_never_run()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var dialogs = new List<string>();

        // A courier whose name is markup, on the runner page with a token that carries that name.
        var member = (await server.FleetAsync("hostile", 1))[0];
        await using (var rename = server.Db.CreateCommand("update couriers set name = $1 where id = $2"))
        {
            rename.Parameters.AddWithValue(CourierName);
            rename.Parameters.AddWithValue(member.CourierId);
            Assert.Equal(1, await rename.ExecuteNonQueryAsync());
        }
        var token = server.Services.GetRequiredService<TokenIssuer>().Issue(member.CourierId.ToString(), Roles.Courier, CourierName);
        var runner = await chromium.OnlineRunnerAsync(server, member with { Name = CourierName, Token = token }, StartLat, StartLon);
        runner.Dialog += (_, d) => dialogs.Add($"runner: {d.Message}");
        await Expect(runner.Locator("#courier-name")).ToHaveTextAsync(CourierName);

        var response = await server.PostOrderAsync(Body(), Guid.NewGuid().ToString(), await server.MerchantTokenAsync());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Dispatch.Server.Orders.OrderView>(response.Content, DispatchServer.Json))!;
        Assert.Equal(HttpStatusCode.NoContent, (await server.PayAsync(order.Id)).StatusCode);

        // Runner: the offer and the job show the addresses, the stop and the shopping list as typed.
        await Expect(runner.Locator("#offer")).ToBeVisibleAsync();
        await Expect(runner.Locator("#offer-pickup")).ToHaveTextAsync($"{Script} Place du Casino");
        await Expect(runner.Locator("#offer-stops")).ToContainTextAsync($"{Img} Grimaldi");
        await runner.Locator("#accept").ClickAsync();
        await Expect(runner.Locator("#job")).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(runner.Locator("#target-address")).ToHaveTextAsync($"{Script} Place du Casino");
        await Expect(runner.Locator("#errand-list")).ToHaveTextAsync($"{Link} {Img}");
        await Expect(runner.Locator("#route-stop-list")).ToContainTextAsync(Script);
        await HeadlessChromium.ScreenshotAsync(runner, "hostile-0-runner");

        // Tracking: the courier's first name, the stop and the shopping list as text.
        var customer = await chromium.NewPageAsync(HeadlessChromium.Phone);
        customer.Dialog += (_, d) => dialogs.Add($"tracking: {d.Message}");
        await customer.GotoAsync(new Uri(server.BaseUrl, $"/track/{order.TrackingToken}").ToString());
        await Expect(customer.Locator("#courier-name")).ToHaveTextAsync(Img.Split(' ')[0]);
        await Expect(customer.Locator("#stop-list")).ToContainTextAsync($"{Img} Grimaldi");
        await Expect(customer.Locator("#errand-list")).ToHaveTextAsync($"{Link} {Img}");
        await HeadlessChromium.ScreenshotAsync(customer, "hostile-1-tracking");

        // Board: the list, the drawer (customer, route, stops, timeline) and a search by the customer's phone.
        var board = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        board.Dialog += (_, d) => dialogs.Add($"board: {d.Message}");
        await board.AddInitScriptAsync(CaptureMaps);
        var dispatcher = await server.TokenAsync("dispatcher", "d-hostile");
        await board.GotoAsync(new Uri(server.BaseUrl, $"/board/#token={Uri.EscapeDataString(dispatcher)}").ToString());
        await Expect(board.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        var item = board.Locator($"#orders li[data-order-id='{order.Id}']");
        await Expect(item.Locator(".oi-meta")).ToContainTextAsync(CourierName);
        // The map's tooltip at the courier (theirs or the order's beside it) names them, as text.
        await board.WaitForFunctionAsync("id => window.board.couriers.has(id) && window.__maps?.length === 1", member.CourierId.ToString());
        // Open the tooltip of the courier's own dot, as hovering it does (the board's content function builds it).
        var opened = await board.EvaluateAsync<bool>("""
            id => {
              const c = window.board.couriers.get(id), map = window.__maps[0];
              let found = false;
              map.eachLayer(l => {
                if (found || !l.getTooltip || !l.getTooltip() || l.options.pane !== "overlayPane") return;
                const at = l.getLatLng();
                if (at.lat === c.lat && at.lng === c.lon) { l.openTooltip(); found = true; }
              });
              return found;
            }
            """, member.CourierId.ToString());
        Assert.True(opened, "the courier's dot is on the board's map");
        await Expect(board.Locator(".leaflet-tooltip")).ToContainTextAsync(CourierName);
        await item.ClickAsync();
        await Expect(board.Locator("#lookup-result")).ToHaveAttributeAsync("data-order-id", order.Id.ToString());
        await Expect(board.Locator("#order-customer")).ToContainTextAsync($"Eve {Img}");
        await Expect(board.Locator("#order-route")).ToContainTextAsync($"{Script} Place du Casino → {Link} Quai");
        await Expect(board.Locator("#order-courier")).ToHaveTextAsync(CourierName);
        await Expect(board.Locator("#order-stops")).ToContainTextAsync(Script);
        await HeadlessChromium.ScreenshotAsync(board, "hostile-2-board-drawer");
        await board.Locator("#lookup-input").FillAsync("+377 6 99 88 77 66");
        await board.Locator("#lookup-button").ClickAsync();
        await Expect(board.Locator("#list-title")).ToContainTextAsync("Search results");
        await Expect(board.Locator($"#orders li[data-order-id='{order.Id}'] .oi-meta")).ToContainTextAsync($"Eve {Img}");

        foreach (var page in new[] { runner, customer, board })
        {
            Assert.True(await page.EvaluateAsync<bool>(Untouched), $"{page.Url}: markup became elements or ran");
        }
        Assert.Empty(dialogs);
        Assert.Empty(chromium.PageErrors);

        foreach (var page in new[] { runner, customer, board })
        {
            Assert.StartsWith("blocked:", await page.EvaluateAsync<string>(InjectedHandler), StringComparison.Ordinal);
        }
    }
}
