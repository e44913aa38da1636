using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Dispatch.Tests.Browser;

/// <summary>
/// Debian's chromium (installed by infra/install.sh), driven headless by Microsoft.Playwright. Playwright's own browser
/// download is never used. Without the binary, browser tests skip on a laptop and fail under CI=true.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public static readonly BrowserNewContextOptions Phone = new()
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        Locale = "en-GB",
        TimezoneId = "Europe/Monaco",
    };

    public static readonly BrowserNewContextOptions Desktop = new()
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        Locale = "en-GB",
        TimezoneId = "Europe/Monaco",
    };

    private static readonly string[] LaunchArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly IPlaywright _playwright;
    private readonly List<string> _pageErrors = [];

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public static string ExecutablePath => Environment.GetEnvironmentVariable("DISPATCH_CHROMIUM") ?? "/usr/bin/chromium";

    public IBrowser Browser { get; }

    /// <summary>Uncaught script errors and console errors (failed loads) of every page opened here: a page with them is broken even if it looks right.</summary>
    public IReadOnlyList<string> PageErrors => _pageErrors;

    /// <summary>Starts chromium, or skips (fails under CI=true) when it or the pages' npm libraries are missing.</summary>
    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath)) Unavailable($"Chromium not found at {ExecutablePath}; install the Debian package with `bash infra/install.sh` (or set DISPATCH_CHROMIUM).");
        var serverFolder = DispatchServer.ServerProjectFolder();
        if (serverFolder is null) Unavailable("Dispatch.sln not found above the test assembly, so the server cannot serve its wwwroot pages.");
        if (!File.Exists(Path.Combine(serverFolder!, "wwwroot", "lib", "signalr.min.js"))) Unavailable("Dispatch.Server/wwwroot/lib is empty; run `bash web/build.sh` (./test.sh does).");

        // Assertions wait as long as page actions do: Playwright's 5 s default is short on a 2-core machine running the suite in parallel.
        Assertions.SetDefaultExpectTimeout(15_000);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Args = LaunchArgs });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async Task<IPage> NewPageAsync(BrowserNewContextOptions options)
    {
        var context = await Browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        page.PageError += (_, error) => { lock (_pageErrors) _pageErrors.Add(error); };
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (_pageErrors) _pageErrors.Add($"console error: {message.Text} ({message.Location})");
        };
        return page;
    }

    /// <summary>The admin console on a desktop, signed in with <paramref name="username"/>'s password (<see cref="Accounts.Password"/>).</summary>
    public async Task<IPage> AdminConsoleAsync(DispatchServer server, string username)
    {
        var page = await SigningInAsync(server, "/admin/", username);
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-state", "app");
        return page;
    }

    /// <summary>
    /// A staff page (<paramref name="path"/>) on a desktop, its sign-in form sent with <paramref name="username"/>'s password
    /// (<see cref="Accounts.Password"/>); the caller waits for what its page shows once signed in.
    /// </summary>
    public async Task<IPage> SigningInAsync(DispatchServer server, string path, string username)
    {
        ArgumentNullException.ThrowIfNull(server);
        var page = await NewPageAsync(Desktop);
        await page.GotoAsync(new Uri(server.BaseUrl, path).ToString());
        await page.Locator("#username-input").FillAsync(username);
        await page.Locator("#password-input").FillAsync(Accounts.Password);
        await page.Locator("#signin-button").ClickAsync();
        return page;
    }

    /// <summary>
    /// The runner page on a phone, signed in as <paramref name="member"/> (token in the fragment), at a manual position,
    /// gone online, and in the zone's geo set.
    /// </summary>
    public async Task<IPage> OnlineRunnerAsync(DispatchServer server, DispatchServer.FleetMember member, double lat, double lon)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(member);
        var page = await NewPageAsync(Phone);
        var query = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"?lat={lat}&lon={lon}");
        await page.GotoAsync(new Uri(server.BaseUrl, $"/runner/{query}#token={Uri.EscapeDataString(member.Token)}").ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-connection", "live");
        await page.Locator("#go-online").ClickAsync();
        await Assertions.Expect(page.Locator("#duty")).ToHaveTextAsync("Online");
        await server.WaitInGeoSetAsync(member.CourierId, lat, lon);
        return page;
    }

    /// <summary>Saves a full-page PNG under artifacts/screenshots (git-ignored) for a person to look at.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var root = DispatchServer.ServerProjectFolder() is { } server ? Path.GetDirectoryName(server)! : AppContext.BaseDirectory;
        var folder = Path.Combine(root, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    private static void Unavailable(string reason)
    {
        if (ServiceSettings.IsCi) Assert.Fail($"CI=true and {reason}");
        Assert.Skip(reason);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
