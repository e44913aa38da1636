using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dispatch.Core.Payments;
using Dispatch.Server.Persistence;
using Dispatch.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dispatch.Tests.Browser;

/// <summary>
/// The ordering page with WeChat Pay and Alipay switched on (against the local fake of their HTTP side): the page offers
/// the configured methods, shows the provider's client step from the start answer, and follows the payment state until
/// the provider's signed notification says paid (then tracking) or failed.
/// </summary>
public sealed partial class OrderPageProviderTests(CustomerPaymentServer server) : IClassFixture<CustomerPaymentServer>
{
    // The page polls the order every 1.5 s; on a loaded machine a poll and its render can take longer than the default 5 s.
    private static readonly LocatorAssertionsToContainTextOptions Polled = new() { Timeout = 20_000 };

    [Fact]
    public async Task WeChat_Native_shows_the_code_url_and_the_signed_notice_turns_the_page_to_paid_then_tracking()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await OrderedAsync(chromium, "+86 138 0000 0001");

        // Real providers are offered before the sandbox; the customer picks WeChat Pay.
        await Expect(page.Page.Locator("#pay-methods [data-method]")).ToHaveCountAsync(3);
        await page.Page.Locator("#pay-methods [data-method=wechat]").ClickAsync();
        var (_, sent) = await server.Fake.WeChat.NextAsync(c => c.Path == "/v3/pay/transactions/native", what: "the Native order at WeChat Pay");
        var paymentId = Guid.ParseExact(sent.GetProperty("out_trade_no").GetString()!, "N");
        var total = sent.GetProperty("amount").GetProperty("total").GetInt64();
        await Expect(page.Page.Locator("#pay-step .pay-link")).ToHaveAttributeAsync("href", WeChatCode());
        await Expect(page.Page.Locator("#pay-step")).ToContainTextAsync("Scan this code with WeChat");
        // The code URL drawn as a QR code image (qrcode-generator from /lib).
        await Expect(page.Page.Locator("#pay-step img.pay-qr")).ToBeVisibleAsync();
        Assert.True(await page.Page.Locator("#pay-step img.pay-qr").EvaluateAsync<int>("img => img.naturalWidth") > 0);
        await Expect(page.Page.Locator("#pay-amount")).ToHaveTextAsync(Yuan());
        await Expect(page.Page.Locator("#pay-state")).ToContainTextAsync("Waiting for the payment");
        await HeadlessChromium.ScreenshotAsync(page.Page, "order-provider-0-wechat");

        var (headers, body) = server.Fake.WeChatNotification(paymentId, total, "SUCCESS", server.Fake.PlatformKey, DateTimeOffset.UtcNow);
        using var notice = new HttpRequestMessage(HttpMethod.Post, "/api/payments/wechat/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers) notice.Headers.Add(name, value);
        using var answer = await server.Http.SendAsync(notice);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);

        await Expect(page.Page.Locator("#pay-state")).ToContainTextAsync("Paid", Polled);
        await page.Page.WaitForURLAsync(TrackingUrl());
        Assert.Equal((long)PaymentState.Paid, await server.ScalarAsync("select payment_state from orders where number = $1", page.Number));
        Assert.Empty(chromium.PageErrors);
    }

    [Fact]
    public async Task Alipay_is_the_default_step_and_a_closed_trade_shows_failed_until_paid()
    {
        server.RequireServices();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await OrderedAsync(chromium, "+86 138 0000 0002");

        await Expect(page.Page.Locator("#pay-methods [data-method=alipay]")).ToHaveAttributeAsync("aria-checked", "true");
        var (_, biz) = await server.Fake.Alipay.NextAsync(x => IsPrecreateOf(x, page.Number), what: "the precreate at Alipay");
        var paymentId = Guid.ParseExact(biz.GetProperty("out_trade_no").GetString()!, "N");
        var amount = biz.GetProperty("total_amount").GetString()!;
        await Expect(page.Page.Locator("#pay-step .pay-link")).ToHaveAttributeAsync("href", AlipayPage());
        await Expect(page.Page.Locator("#pay-step .pay-link")).ToHaveTextAsync("Open Alipay to pay");
        await HeadlessChromium.ScreenshotAsync(page.Page, "order-provider-1-alipay");

        await NotifyAlipayAsync(paymentId, amount, "TRADE_CLOSED");
        await Expect(page.Page.Locator("#pay-state")).ToContainTextAsync("The payment failed", Polled);
        Assert.Equal((long)PaymentState.Failed, await server.ScalarAsync("select payment_state from orders where number = $1", page.Number));

        // Trying again starts a new try at Alipay; its notice pays the order.
        await page.Page.Locator("#pay-methods [data-method=alipay]").ClickAsync();
        var (_, again) = await server.Fake.Alipay.NextAsync(x => IsPrecreateOf(x, page.Number), what: "the second precreate at Alipay");
        await Expect(page.Page.Locator("#pay-state")).ToContainTextAsync("Waiting for the payment");
        await NotifyAlipayAsync(Guid.ParseExact(again.GetProperty("out_trade_no").GetString()!, "N"), amount, "TRADE_SUCCESS");
        await Expect(page.Page.Locator("#pay-state")).ToContainTextAsync("Paid", Polled);
        await page.Page.WaitForURLAsync(TrackingUrl());
        Assert.Empty(chromium.PageErrors);
    }

    // Alipay is every page's default, so the class's other test leaves a precreate of its own order in the shared fake.
    private static bool IsPrecreateOf((string Method, JsonElement Biz) call, long number) =>
        call.Method == "alipay.trade.precreate" && call.Biz.GetProperty("subject").GetString() == $"Errand {OrderRecord.FormatNumber(number)}";

    private async Task NotifyAlipayAsync(Guid paymentId, string amount, string status)
    {
        using var form = new FormUrlEncodedContent(PaymentProviderFake.AlipayNotification(paymentId, amount, status, PaymentProviderServer.AlipayAppId, server.Fake.AlipayKey));
        using var answer = await server.Http.PostAsync("/api/payments/alipay/notify", form);
        Assert.Equal("success", await answer.Content.ReadAsStringAsync());
    }

    private sealed record Ordered(IPage Page, long Number);

    /// <summary>Signs in on the page, orders a parcel between two saved places and waits for the payment step.</summary>
    private async Task<Ordered> OrderedAsync(HeadlessChromium chromium, string phone)
    {
        var page = await chromium.ParcelFromOfficeToHomeAsync(server, phone);
        await page.Locator("#quote-button").ClickAsync();
        await Expect(page.Locator("#quote")).ToBeVisibleAsync();
        await page.Locator("#place-button").ClickAsync();
        await Expect(page.Locator("#payment")).ToBeVisibleAsync();
        var number = await server.ScalarAsync("select number from orders where customer_id is not null order by number desc limit 1");
        return new Ordered(page, number);
    }

    [GeneratedRegex(@"^weixin://wxpay/bizpayurl\?pr=fake\d+$")]
    private static partial Regex WeChatCode();

    [GeneratedRegex(@"^https://qr\.alipay\.com/fake\d+$")]
    private static partial Regex AlipayPage();

    [GeneratedRegex(@"¥|CNY")]
    private static partial Regex Yuan();

    [GeneratedRegex(@"/track/[^/]+$")]
    private static partial Regex TrackingUrl();
}
