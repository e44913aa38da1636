using Dispatch.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The reports page (/reports/) in headless Chromium: a dispatcher of Monaco signs in with a password after a simulated day
/// and sees that day's real numbers in the totals, the table and the charts (Chart.js, served from /lib).
/// </summary>
public sealed class ReportsPageTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly string[] Monaco = ["monaco"];

    [Fact]
    public async Task A_dispatcher_sees_the_simulated_day_in_charts_totals_and_the_table()
    {
        server.RequireServices();
        var day = await SimulatedDay.RunAsync(server, "page");
        await server.CreateAsync("renata", "dispatcher", new { zones = Monaco });
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await page.GotoAsync(new Uri(server.BaseUrl, "/").ToString());
        await page.Locator("a[href='/reports/']").ClickAsync();

        await page.Locator("#username-input").FillAsync("renata");
        await page.Locator("#password-input").FillAsync(Accounts.Password);
        await page.Locator("#signin-button").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");
        await Expect(page.Locator("#report-error")).ToBeHiddenAsync();

        await Expect(page.Locator("[data-total='delivered'] dd")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-total='cancelled'] dd")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-total='acceptance'] dd")).ToHaveTextAsync("67%");
        await Expect(page.Locator("[data-total='on-time'] dd")).ToHaveTextAsync("100%");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var row = page.Locator("#day-rows tr").Filter(new() { HasText = today });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("monaco");
        await Expect(page.Locator("#range-zone option[value='monaco']")).ToHaveCountAsync(1);

        // The charts draw the same numbers: today's bar of delivered orders, acceptance at 66.7 %, the fees per online hour.
        var charts = await page.EvaluateAsync<System.Text.Json.JsonElement>("() => window.dispatchReports.chartData()");
        var orders = charts.GetProperty("chart-orders");
        Assert.Equal(2, Last(orders[0]).GetInt32());
        Assert.Equal(1, Last(orders[1]).GetInt32());
        Assert.Equal(66.7, Last(charts.GetProperty("chart-shares")[1]).GetDouble());
        Assert.True(Last(charts.GetProperty("chart-earnings")[0]).GetDouble() > 0, "earnings per online hour drawn");
        Assert.True(day.FeesCents > 0);
        Assert.True(await page.Locator("#chart-orders").EvaluateAsync<bool>("c => c.width > 0 && Chart.getChart(c) !== undefined"), "Chart.js drew on the canvas");
        await HeadlessChromium.ScreenshotAsync(page, "reports-0-simulated-day");
        Assert.True(chromium.PageErrors.Count == 0, string.Join("\n", chromium.PageErrors));

        // A range the other way round is refused with the server's words (the browser logs the 400 itself).
        await page.Locator("#range-from").FillAsync("2026-12-31");
        await page.Locator("#range-to").FillAsync("2026-12-01");
        await page.Locator("#range-form button[type='submit']").ClickAsync();
        await Expect(page.Locator("#report-error")).ToContainTextAsync("is after to");
    }

    [Fact]
    public async Task A_range_asked_for_earlier_and_answered_later_is_not_drawn_over_the_newer_one()
    {
        server.RequireServices();
        await server.CreateAsync("rhea", "dispatcher", new { zones = Monaco });
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.SigningInAsync(server, "/reports/", "rhea");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-loaded", "true");

        // January's answer is held back until February's is on screen.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/api/reports?from=2026-01-01*", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.Locator("#range-from").FillAsync("2026-01-01");
        await page.Locator("#range-to").FillAsync("2026-01-31");
        await page.Locator("#range-form button[type='submit']").ClickAsync();
        await page.Locator("#range-from").FillAsync("2026-02-01");
        await page.Locator("#range-to").FillAsync("2026-02-28");
        await page.Locator("#range-form button[type='submit']").ClickAsync();
        await Expect(page.Locator("#report-status")).ToContainTextAsync("to 2026-02-28");

        var late = page.WaitForRequestFinishedAsync(new() { Predicate = r => r.Url.Contains("from=2026-01-01", StringComparison.Ordinal) });
        release.SetResult();
        await late;
        // The page has handled the late answer by the next frame; February's figures stay.
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))");
        await Expect(page.Locator("#report-status")).ToContainTextAsync("to 2026-02-28");
        Assert.True(chromium.PageErrors.Count == 0, string.Join("\n", chromium.PageErrors));
    }

    /// <summary>A dataset's last value: today, the range's last day.</summary>
    private static System.Text.Json.JsonElement Last(System.Text.Json.JsonElement dataset)
    {
        var data = dataset.GetProperty("data");
        return data[data.GetArrayLength() - 1];
    }
}
