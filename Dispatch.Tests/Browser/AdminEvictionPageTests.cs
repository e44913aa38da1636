using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The admin console when Redis is away (issue 20): a courier suspended then is suspended (PostgreSQL's part), and the
/// console says their open connections close once Redis returns (the answer's <c>X-Eviction: deferred</c>) rather than
/// letting the admin believe the courier is already off the map. Redis is a scratch process of the test's own.
/// </summary>
public sealed class AdminEvictionPageTests
{
    [Fact]
    public async Task An_admin_suspending_a_courier_while_Redis_is_away_is_told_the_connection_closes_once_it_returns()
    {
        await using var redis = await ScratchRedis.StartAsync();
        await using var server = new OwnRedisServer(redis);
        await server.InitializeAsync();
        server.RequireServices();
        await server.CreateAsync("ada.eviction", "admin");
        var courierId = await server.RegisterCourierAsync("evi.courier");
        await server.ApproveAsync(courierId, Equipment.None, capacity: 1);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.AdminConsoleAsync(server, "ada.eviction");
        await page.Locator("#review-filter").SelectOptionAsync("approved");
        var row = page.Locator($"#couriers li[data-courier-id='{courierId}']");
        await Expect(row).ToHaveCountAsync(1);

        redis.Kill();
        await row.Locator(".reason").FillAsync("Documents expired.");
        await row.Locator("button", new() { HasText = "Suspend" }).ClickAsync();
        await Expect(page.Locator("#couriers-note")).ToContainTextAsync("Redis is unreachable: their open connections close once it returns");
        await Expect(page.Locator("#couriers-error")).ToBeHiddenAsync();
        Assert.Equal(1, await server.ScalarAsync("select count(*) from couriers where id = $1 and suspended_at is not null", courierId));
        await HeadlessChromium.ScreenshotAsync(page, "admin-4-eviction-deferred");

        // Once Redis is back, a suspension answers without the header, and the note is gone.
        await redis.RestartAsync();
        await page.Locator("#review-filter").SelectOptionAsync("");
        await Expect(row.Locator("button.reinstate")).ToHaveCountAsync(1);
        await row.Locator("button.reinstate").ClickAsync();
        await Expect(page.Locator("#couriers-note")).ToBeHiddenAsync();
        Assert.True(chromium.PageErrors.Count == 0, string.Join("\n", chromium.PageErrors));
    }
}
