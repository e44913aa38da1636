using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// What the ordering page asks before paying: the methods switched on (real providers before the sandbox), and a WeChat
/// Pay Native start (no openid) answering the code URL, against the local fake of WeChat Pay.
/// </summary>
public sealed class CustomerPaymentMethodsTests(CustomerPaymentServer server) : IClassFixture<CustomerPaymentServer>
{
    [Fact]
    public async Task A_customer_sees_the_configured_methods_real_providers_first()
    {
        server.RequireServices();
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync("/api/customers/me/payment-methods")).StatusCode);
        var token = await server.CustomerTokenAsync("+86 138 0000 0101");
        var response = await server.AsCustomerAsync(token, HttpMethod.Get, "/api/customers/me/payment-methods");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var methods = (await response.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json)).GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.Equal<string[]>(["alipay", "wechat", "sandbox"], methods);
    }

    [Fact]
    public async Task A_WeChat_Native_start_needs_no_openid_and_answers_the_code_url()
    {
        server.RequireServices();
        var token = await server.CustomerTokenAsync("+86 138 0000 0102");
        var order = await server.PlaceParcelAsync(token);
        var id = order.GetProperty("id").GetGuid();

        var started = await server.AsCustomerAsync(token, HttpMethod.Post, $"/api/customers/me/orders/{id}/payment", new { provider = "wechat", channel = "native" });
        Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
        var payment = await started.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        var (_, sent) = await server.Fake.WeChat.NextAsync(c => c.Path == "/v3/pay/transactions/native", what: "the Native order at WeChat Pay");
        Assert.False(sent.TryGetProperty("payer", out _));
        Assert.Equal(payment.GetProperty("paymentId").GetGuid().ToString("N"), sent.GetProperty("out_trade_no").GetString());
        Assert.Equal(order.GetProperty("quote").GetProperty("totalCents").GetInt32(), sent.GetProperty("amount").GetProperty("total").GetInt32());
        Assert.StartsWith("weixin://wxpay/bizpayurl?pr=", payment.GetProperty("client").GetProperty("codeUrl").GetString());
    }
}
