using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Core.Couriers;
using Dispatch.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// A new courier registers on the runner page (headless Chromium, a phone's screen), lands in the review queue with what
/// they claimed, is told "waiting for review" when going online, and goes online once an admin approved them.
/// </summary>
public sealed class RunnerRegistrationPageTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly string[] Documents = ["licence", "cold-box-certificate"];

    [Fact]
    public async Task A_courier_registers_on_the_runner_page_waits_for_review_and_goes_online_once_approved()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var phone = await chromium.NewPageAsync(HeadlessChromium.Phone);
        await phone.GotoAsync(new Uri(server.BaseUrl, "/runner/?lat=43.7397&lon=7.4277").ToString());

        await phone.Locator("#register-open").ClickAsync();
        await phone.Locator("#reg-username").FillAsync("runnerreg.rosa");
        await phone.Locator("#reg-password").FillAsync(Accounts.Password);
        await phone.Locator("#reg-name").FillAsync("Rosa Runner");
        await phone.Locator("#reg-phone").FillAsync("+377 6 40 55 66 77");
        await phone.Locator("#reg-vehicle").SelectOptionAsync("bicycle");
        await phone.Locator("#reg-equipment").SelectOptionAsync("insulatedBox");
        await phone.Locator("#reg-licence").FillAsync("MC-778899");
        await phone.Locator("#reg-coldbox").FillAsync("CB-2026-12");
        await HeadlessChromium.ScreenshotAsync(phone, "runner-register-0-form");
        await phone.Locator("#register-button").ClickAsync();
        await Expect(phone.Locator("#register-note")).ToContainTextAsync("waiting for review");
        await Expect(phone.Locator("#register-form")).ToBeHiddenAsync();
        await Expect(phone.Locator("#username-input")).ToHaveValueAsync("runnerreg.rosa");

        // In the admin's queue with what they claimed and their documents.
        var queue = await (await server.CallAsync(HttpMethod.Get, "/api/admin/couriers?review=pending", "admin")).Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var rosa = queue.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Rosa Runner");
        Assert.Equal(("insulatedBox", "bicycle"), (rosa.GetProperty("claimedEquipment").GetString(), rosa.GetProperty("vehicle").GetString()));
        Assert.Equal(Documents, rosa.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("kind").GetString()));
        var courierId = rosa.GetProperty("courierId").GetGuid();

        // Signed in before the review: going online says they are waiting for it.
        await phone.Locator("#password-input").FillAsync(Accounts.Password);
        await phone.Locator("#signin-button").ClickAsync();
        await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        await Expect(phone.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await phone.Locator("#go-online").ClickAsync();
        await Expect(phone.Locator("#shift-error")).ToContainTextAsync("waiting for review");

        await server.ApproveAsync(courierId, Equipment.InsulatedBox, capacity: 2);
        await phone.Locator("#go-online").ClickAsync();
        await Expect(phone.Locator("#duty")).ToHaveTextAsync("Online");
        await HeadlessChromium.ScreenshotAsync(phone, "runner-register-1-online");
        Assert.True(chromium.PageErrors.Count == 0, string.Join("\n", chromium.PageErrors));
    }
}
