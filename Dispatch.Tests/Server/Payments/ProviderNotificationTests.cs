using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Core.Orders;
using Dispatch.Core.Payments;
using Dispatch.Server.Payments;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server.Payments;

/// <summary>
/// The WeChat Pay v3 and Alipay adapters against a local fake of each provider's HTTP side, with keys made for the run:
/// starting a payment sends a correctly signed request and gives the client what it needs; a notification with a good
/// signature pays the order, one with a bad signature is refused and changes nothing; refunds reach the provider.
/// </summary>
public sealed class ProviderNotificationTests(PaymentProviderServer server) : IClassFixture<PaymentProviderServer>
{
    private static JsonElement CnyOrder(int fee)
    {
        var body = JsonSerializer.SerializeToNode(DispatchServer.OrderBody(), DispatchServer.Json)!.AsObject();
        body["deliveryFeeCents"] = fee;
        body["currency"] = "CNY";
        return JsonSerializer.SerializeToElement(body);
    }

    [Fact]
    public async Task WeChat_Pay_jsapi_notification_with_a_good_signature_pays_and_a_bad_one_is_refused_then_a_cancel_refunds()
    {
        server.RequireServices();
        var fake = server.Fake;
        var order = await server.CreateOrderAsync(CnyOrder(990));
        var started = await StartAsync(order.Id, new { provider = "wechat", payer = "oPayer123" });

        var (path, sent) = await fake.WeChat.NextAsync(c => c.Path == "/v3/pay/transactions/jsapi", what: "the JSAPI order at WeChat Pay");
        Assert.Equal(started.PaymentId.ToString("N"), sent.GetProperty("out_trade_no").GetString());
        Assert.Equal(990, sent.GetProperty("amount").GetProperty("total").GetInt32());
        Assert.Equal("oPayer123", sent.GetProperty("payer").GetProperty("openid").GetString());
        var c = started.Client;
        Assert.StartsWith("prepay_id=wx_prepay_", c["package"], StringComparison.Ordinal);
        Assert.True(PaymentKeys.Verify(fake.MerchantKey, $"{c["appId"]}\n{c["timeStamp"]}\n{c["nonceStr"]}\n{c["package"]}\n", c["paySign"]), "paySign verifies");

        using var stranger = RSA.Create(2048);
        var (badHeaders, badBody) = fake.WeChatNotification(started.PaymentId, 990, "SUCCESS", stranger, DateTimeOffset.UtcNow);
        var refused = await NotifyWeChatAsync(badHeaders, badBody);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("FAIL", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Placed, (await server.GetOrderAsync(order.Id)).Status);

        var (headers, body) = fake.WeChatNotification(started.PaymentId, 990, "SUCCESS", fake.PlatformKey, DateTimeOffset.UtcNow);
        var tampered = body.Replace("\"encrypt-resource\"", "\"encrypt-resourcE\"", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await NotifyWeChatAsync(headers, tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await NotifyWeChatAsync(headers, body)).StatusCode);
        var paid = await server.GetOrderAsync(order.Id);
        Assert.NotEqual(OrderStatus.Placed, paid.Status);
        Assert.Equal((PaymentState.Paid, "wechat", 990), (paid.Payment!.State, paid.Payment.Method, paid.Payment.PaidCents));

        Assert.Equal(HttpStatusCode.OK, (await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/cancel", "dispatcher", new { reason = "shop closed" })).StatusCode);
        var (_, refund) = await fake.WeChat.NextAsync(x => x.Path == "/v3/refund/domestic/refunds", what: "the refund at WeChat Pay");
        Assert.Equal(started.PaymentId.ToString("N"), refund.GetProperty("out_trade_no").GetString());
        Assert.Equal((990, 990), (refund.GetProperty("amount").GetProperty("refund").GetInt32(), refund.GetProperty("amount").GetProperty("total").GetInt32()));
        await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.State == PaymentState.Refunded, "the order refunded");
        Assert.Equal(0, fake.Refused);
    }

    [Fact]
    public async Task Alipay_notification_with_a_good_sign_pays_and_a_bad_one_is_refused_then_a_partial_refund_reaches_alipay()
    {
        server.RequireServices();
        var fake = server.Fake;
        var order = await server.CreateOrderAsync(CnyOrder(1250));
        var started = await StartAsync(order.Id, new { provider = "alipay" });
        var (method, biz) = await fake.Alipay.NextAsync(x => x.Method == "alipay.trade.precreate", what: "the precreate at Alipay");
        Assert.Equal("12.50", biz.GetProperty("total_amount").GetString());
        Assert.StartsWith("https://qr.alipay.com/fake", started.Client["qrCode"], StringComparison.Ordinal);

        using var stranger = RSA.Create(2048);
        var refused = await NotifyAlipayAsync(PaymentProviderFake.AlipayNotification(started.PaymentId, "12.50", "TRADE_SUCCESS", PaymentProviderServer.AlipayAppId, stranger));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("failure", await refused.Content.ReadAsStringAsync());
        Assert.Equal(OrderStatus.Placed, (await server.GetOrderAsync(order.Id)).Status);

        var good = PaymentProviderFake.AlipayNotification(started.PaymentId, "12.50", "TRADE_SUCCESS", PaymentProviderServer.AlipayAppId, fake.AlipayKey);
        var forged = new Dictionary<string, string>(good) { ["total_amount"] = "0.01" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await NotifyAlipayAsync(forged)).StatusCode);
        var accepted = await NotifyAlipayAsync(good);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("success", await accepted.Content.ReadAsStringAsync());
        var paid = await server.GetOrderAsync(order.Id);
        Assert.Equal((PaymentState.Paid, "alipay", 1250), (paid.Payment!.State, paid.Payment.Method, paid.Payment.PaidCents));

        var refund = await server.CallAsync(HttpMethod.Post, $"/api/orders/{order.Id}/refunds", "dispatcher", new { amountCents = 390, reason = "one item missing" });
        Assert.Equal(HttpStatusCode.Accepted, refund.StatusCode);
        var (_, refundBiz) = await fake.Alipay.NextAsync(x => x.Method == "alipay.trade.refund", what: "the refund at Alipay");
        Assert.Equal("3.90", refundBiz.GetProperty("refund_amount").GetString());
        var partly = await Eventually.WaitForAsync(() => server.GetOrderAsync(order.Id), v => v.Payment!.State == PaymentState.PartlyRefunded, "the partial refund");
        Assert.Equal(390, partly.Payment!.RefundedCents);
        Assert.Equal(0, fake.Refused);
    }

    private async Task<StartedPayment> StartAsync(Guid orderId, object body)
    {
        var response = await server.CallAsync(HttpMethod.Post, $"/api/orders/{orderId}/payments", "admin", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<StartedPayment>(DispatchServer.Json))!;
    }

    private async Task<HttpResponseMessage> NotifyWeChatAsync(Dictionary<string, string> headers, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/wechat/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return await server.Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> NotifyAlipayAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        return await server.Http.PostAsync("/api/payments/alipay/notify", content);
    }
}
