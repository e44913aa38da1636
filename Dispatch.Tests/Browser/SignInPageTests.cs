using Dispatch.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The board signs in with a username and password (POST /api/auth/sign-in) in headless Chromium against the real server:
/// a wrong password shows the server's words, the right one goes live, a reload after the access token expired renews it
/// with the refresh token, and signing out revokes the session on the server.
/// </summary>
public sealed class SignInPageTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    private static readonly string[] Monaco = ["monaco"];

    // A JWT whose exp (1) is long past: what the page finds in sessionStorage when the tab slept past the access token's life.
    private const string ExpiredJwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZWEiLCJyb2xlIjoiZGlzcGF0Y2hlciIsImV4cCI6MX0.c2ln";

    [Fact]
    public async Task A_dispatcher_signs_in_on_the_board_with_a_password_and_the_session_is_refreshed_and_revoked()
    {
        server.RequireServices();
        await server.CreateAsync("bea", "dispatcher", new { zones = Monaco });
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync(HeadlessChromium.Desktop);
        await page.GotoAsync(new Uri(server.BaseUrl, "/board/").ToString());

        await page.Locator("#username-input").FillAsync("bea");
        await page.Locator("#password-input").FillAsync("not her password");
        await page.Locator("#signin-button").ClickAsync();
        await Expect(page.Locator("#signin-error")).ToHaveTextAsync("The username or password is wrong.");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "signin");

        await page.Locator("#password-input").FillAsync(Accounts.Password);
        await page.Locator("#signin-button").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        Assert.Equal("", await page.Locator("#password-input").InputValueAsync());
        var firstRefresh = await page.EvaluateAsync<string>("() => sessionStorage.getItem('dispatch.board.token.refresh')");
        Assert.False(string.IsNullOrEmpty(firstRefresh));
        await HeadlessChromium.ScreenshotAsync(page, "signin-0-password");

        // The tab comes back with an expired access token: the page renews it (rotating the refresh token) and goes live.
        await page.EvaluateAsync("t => sessionStorage.setItem('dispatch.board.token', t)", ExpiredJwt);
        await page.ReloadAsync();
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        var renewed = await page.EvaluateAsync<string>("() => sessionStorage.getItem('dispatch.board.token')");
        Assert.NotEqual(ExpiredJwt, renewed);
        Assert.Equal("bea", Accounts.Jwt(renewed).Subject);
        Assert.NotEqual(firstRefresh, await page.EvaluateAsync<string>("() => sessionStorage.getItem('dispatch.board.token.refresh')"));

        // Signing out revokes the session on the server, not just in the tab.
        await page.Locator("#signout").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "signin");
        await Eventually.WaitForAsync(
            () => server.ScalarAsync("select count(*) from refresh_tokens t join accounts a on a.id = t.user_id where a.user_name = 'bea' and t.revoked_at is null"),
            n => n == 0, "bea's refresh tokens revoked by the sign-out");
        // The browser logs the refused wrong password (401) as a failed resource; nothing else went wrong.
        Assert.All(chromium.PageErrors, e => Assert.Contains("status of 401", e, StringComparison.Ordinal));
        Assert.Single(chromium.PageErrors);
    }

    [Fact]
    public async Task A_courier_signs_in_on_the_runner_with_a_password_and_goes_live_as_their_courier()
    {
        server.RequireServices();
        var member = (await server.FleetAsync("pagesignin", 1))[0];
        await server.CreateAsync("rudi", "courier", new { courierId = member.CourierId });
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var phone = await chromium.NewPageAsync(HeadlessChromium.Phone);
        await phone.GotoAsync(new Uri(server.BaseUrl, "/runner/").ToString());
        await phone.Locator("#username-input").FillAsync("rudi");
        await phone.Locator("#password-input").FillAsync(Accounts.Password);
        await phone.Locator("#signin-button").ClickAsync();
        await Expect(phone.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await Expect(phone.Locator("#courier-name")).ToHaveTextAsync(member.Name);
        await HeadlessChromium.ScreenshotAsync(phone, "signin-1-runner-password");
        Assert.Empty(chromium.PageErrors);
    }
}
