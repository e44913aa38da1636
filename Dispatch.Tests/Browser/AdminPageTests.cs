using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The admin console (/admin/) in headless Chromium against the real server: an admin signs in with a password, approves a
/// registered courier from the review queue with the equipment they verified, the row leaves the pending queue, the
/// server keeps the verified equipment and capacity, and the audit tab shows the approval; an admin edits a dispatcher's
/// zones on their account row.
/// </summary>
public sealed class AdminPageTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly string[] MonacoOnly = ["monaco"];
    private static readonly string[] NiceOnly = ["nice"];

    [Fact]
    public async Task An_admin_approves_a_registered_courier_with_verified_equipment_and_sees_it_in_the_audit_log()
    {
        server.RequireServices();
        await server.CreateAsync("adele", "admin");
        var courierId = await server.RegisterCourierAsync("consolerita", Equipment.ActiveCooler);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await page.GotoAsync(new Uri(server.BaseUrl, "/").ToString());
        await page.Locator("a[href='/admin/']").ClickAsync();

        await page.Locator("#username-input").FillAsync("adele");
        await page.Locator("#password-input").FillAsync(Accounts.Password);
        await page.Locator("#signin-button").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "app");

        // The queue shows the courier's claim and documents; the admin verified only an insulated box, and allows two orders.
        var row = page.Locator($"#couriers li[data-courier-id='{courierId}']");
        await Expect(row.Locator(".claimed")).ToHaveTextAsync("Claims Active cooler");
        await Expect(row.Locator(".docs")).ToContainTextAsync("cold-box-certificate: CB-2026-77");
        await row.Locator("select.verified").SelectOptionAsync("insulatedBox");
        await row.Locator("input.capacity").FillAsync("2");
        await HeadlessChromium.ScreenshotAsync(page, "admin-0-review-queue");
        await row.Locator("button.approve").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await Expect(page.Locator("#couriers-error")).ToBeHiddenAsync();

        var response = await server.CallAsync(HttpMethod.Get, $"/api/admin/couriers/{courierId}", "admin");
        var view = await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal("approved", view.GetProperty("review").GetString());
        Assert.Equal("insulatedBox", view.GetProperty("verifiedEquipment").GetString());
        Assert.Equal(2, view.GetProperty("capacity").GetInt32());

        // The audit tab, filtered on the courier, shows the approval by adele.
        await page.Locator(".tab[data-tab='audit']").ClickAsync();
        await page.Locator("#audit-target").FillAsync($"courier:{courierId}");
        await page.Locator("#audit-form button[type='submit']").ClickAsync();
        var approval = page.Locator("#audit-rows tr[data-action='courier.approve']");
        await Expect(approval).ToHaveCountAsync(1);
        await Expect(approval).ToContainTextAsync("adele (admin)");
        await Expect(approval.Locator(".change")).ToContainTextAsync("insulatedBox");
        await HeadlessChromium.ScreenshotAsync(page, "admin-1-audit");
        Assert.True(chromium.PageErrors.Count == 0, string.Join("\n", chromium.PageErrors));
    }

    [Fact]
    public async Task A_late_answer_for_an_older_filter_does_not_replace_the_review_queue_the_admin_asked_for_last()
    {
        server.RequireServices();
        await server.CreateAsync("ava.stale", "admin");
        var courierId = await server.RegisterCourierAsync("stalerita");
        await server.ApproveAsync(courierId, Equipment.None, capacity: 1);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.AdminConsoleAsync(server, "ava.stale");
        // The pending list's answer is held back until the approved list is on screen.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/api/admin/couriers?review=pending", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.Locator("#couriers-reload").ClickAsync();
        await page.Locator("#review-filter").SelectOptionAsync("approved");
        var row = page.Locator($"#couriers li[data-courier-id='{courierId}']");
        await Expect(row).ToHaveCountAsync(1);

        var late = page.WaitForRequestFinishedAsync(new() { Predicate = r => r.Url.Contains("review=pending", StringComparison.Ordinal) });
        release.SetResult();
        await late;
        // The page has handled the late answer by the next frame; the approved list stays.
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))");
        await Expect(row).ToHaveCountAsync(1);
        Assert.Equal("approved", await page.Locator("#review-filter").InputValueAsync());
        Assert.True(chromium.PageErrors.Count == 0, string.Join("\n", chromium.PageErrors));
    }

    [Fact]
    public async Task An_admin_creates_a_dispatcher_suspends_them_and_creates_and_revokes_a_merchant_key_on_the_console()
    {
        server.RequireServices();
        await server.CreateAsync("albin", "admin");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.AdminConsoleAsync(server, "albin");

        // A dispatcher with a zone, who can then sign in; suspending them revokes that session.
        await page.Locator(".tab[data-tab='accounts']").ClickAsync();
        await page.Locator("#account-username").FillAsync("dorian");
        await page.Locator("#account-role").SelectOptionAsync("dispatcher");
        await page.Locator("#account-password").FillAsync(Accounts.Password);
        await page.Locator("#account-zones").FillAsync("monaco");
        await page.Locator("#account-form button[type='submit']").ClickAsync();
        await Expect(page.Locator("#accounts-note")).ToHaveTextAsync("Created dorian as dispatcher.");
        var dorian = Accounts.Jwt((await server.SessionAsync("dorian")).GetProperty("accessToken").GetString()!);
        Assert.Contains(dorian.Claims, c => c.Value == "monaco");
        // Picked from the searched list of accounts, suspended by its id.
        await page.Locator("#accounts-q").FillAsync("dori");
        await page.Locator("#accounts-search button[type='submit']").ClickAsync();
        var listed = page.Locator("#accounts-list li[data-username='dorian']");
        await Expect(listed.Locator(".facts")).ToContainTextAsync("Zones: monaco");
        await Expect(page.Locator("#accounts-list > li")).ToHaveCountAsync(1);
        await listed.Locator("button.suspend").ClickAsync();
        await Expect(page.Locator("#accounts-note")).ToHaveTextAsync("dorian suspended (1 session(s) revoked).");
        Assert.False((await server.SignInAsync("dorian")).IsSuccessStatusCode);
        await Expect(listed.Locator(".status-tag")).ToHaveTextAsync("suspended");
        await Expect(listed.Locator("button.reinstate")).ToHaveCountAsync(1);

        // A key for a merchant organisation: the secret shows once, the key is listed, then revoked.
        await page.Locator(".tab[data-tab='keys']").ClickAsync();
        await page.Locator("#keys-org").FillAsync("shop-console");
        await page.Locator("#keys-create").ClickAsync();
        await Expect(page.Locator("#keys-secret")).ToContainTextAsync("secret (shown once, copy it now): ");
        var key = page.Locator("#keys > li");
        await Expect(key).ToHaveCountAsync(1);
        await Expect(key.Locator(".status-tag")).ToHaveTextAsync("active");
        await HeadlessChromium.ScreenshotAsync(page, "admin-2-keys");
        await key.Locator("button", new() { HasText = "Revoke" }).ClickAsync();
        await Expect(key.Locator(".status-tag")).ToHaveTextAsync("revoked");
        // The organisation is now one to pick from, in the keys and the account forms.
        await page.Locator("#keys-org").FillAsync("shop-con");
        await Expect(page.Locator("#org-options option[value='shop-console']")).ToHaveCountAsync(1);
        Assert.Equal(1, await server.ScalarAsync("select count(*) from audit_log where action = 'account.suspend' and target = 'account:dorian'"));
        Assert.True(chromium.PageErrors.Count == 0, string.Join("\n", chromium.PageErrors));
    }

    [Fact]
    public async Task An_admin_changes_a_dispatchers_zones_on_their_account_row()
    {
        server.RequireServices();
        await server.CreateAsync("agnes", "admin");
        await server.CreateAsync("zoe.zones", "dispatcher", new { zones = MonacoOnly });
        const string Nice = "POLYGON((7.25 43.69, 7.29 43.69, 7.29 43.71, 7.25 43.71, 7.25 43.69))";
        Assert.True((await server.CallAsync(HttpMethod.Put, "/api/zones/nice", "admin", new { boundary = Nice })).IsSuccessStatusCode);
        var session = await server.SessionAsync("zoe.zones");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.AdminConsoleAsync(server, "agnes");

        await page.Locator(".tab[data-tab='accounts']").ClickAsync();
        await page.Locator("#accounts-q").FillAsync("zoe.");
        await page.Locator("#accounts-search button[type='submit']").ClickAsync();
        var row = page.Locator("#accounts-list li[data-username='zoe.zones']");
        await Expect(row.Locator(".facts")).ToContainTextAsync("Zones: monaco");
        await Expect(row.Locator("input.zones")).ToHaveValueAsync("monaco");

        // An unknown zone is named and changes nothing; then the dispatcher is moved to nice.
        await row.Locator("input.zones").FillAsync("nice, atlantis");
        await row.Locator("button.save-zones").ClickAsync();
        await Expect(page.Locator("#accounts-error")).ToContainTextAsync("No zone is named 'atlantis'.");
        await row.Locator("input.zones").FillAsync("nice");
        await row.Locator("button.save-zones").ClickAsync();
        await Expect(page.Locator("#accounts-note")).ToHaveTextAsync("zoe.zones now has zones: nice (from their next token refresh).");
        await Expect(row.Locator(".facts")).ToContainTextAsync("Zones: nice");
        await Expect(page.Locator("#accounts-error")).ToBeHiddenAsync();
        await HeadlessChromium.ScreenshotAsync(page, "admin-3-dispatcher-zones");

        // The session lives on and its refresh carries nice only; one audit row.
        var refreshed = await server.RefreshAsync(session.GetProperty("refreshToken").GetString()!);
        Assert.True(refreshed.IsSuccessStatusCode, await refreshed.Content.ReadAsStringAsync());
        var token = (await refreshed.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("accessToken").GetString()!;
        Assert.Equal(NiceOnly, Accounts.Jwt(token).Claims.Where(c => c.Type == "zones").Select(c => c.Value));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from audit_log where action = 'account.zones' and target = 'account:zoe.zones'"));
        // The refused save is logged by the browser as a failed resource (400): that one line is expected, nothing else.
        var unexpected = chromium.PageErrors.Where(e => !e.Contains("status of 400", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }
}
