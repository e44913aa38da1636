using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dispatch.Server.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// The HTTP side of WeChat Pay v3 and Alipay for tests (Kestrel on 127.0.0.1, random port), with keys made here for each
/// run. WeChat: /v3/pay/transactions/jsapi, …/native and /v3/refund/domestic/refunds check the WECHATPAY2-SHA256-RSA2048 signature
/// with the merchant's public key (401 when it does not verify). Alipay: /gateway.do checks the RSA2 sign with the
/// application's public key and answers precreate and refund. Every accepted call is recorded.
/// </summary>
public sealed class PaymentProviderFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private PaymentProviderFake(WebApplication app) => _app = app;

    public RSA MerchantKey { get; } = RSA.Create(2048);

    public RSA PlatformKey { get; } = RSA.Create(2048);

    public RSA AppKey { get; } = RSA.Create(2048);

    public RSA AlipayKey { get; } = RSA.Create(2048);

    public string ApiV3Key { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Accepted WeChat Pay calls: the path and the JSON body.</summary>
    public Inbox<(string Path, JsonElement Body)> WeChat { get; } = new();

    /// <summary>Accepted Alipay calls: the method and biz_content.</summary>
    public Inbox<(string Method, JsonElement Biz)> Alipay { get; } = new();

    private int _refused;

    /// <summary>Calls refused because their signature did not verify.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public Uri Url { get; private set; } = null!;

    public static async Task<PaymentProviderFake> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new PaymentProviderFake(app);
        app.MapPost("/v3/{**path}", (HttpContext http, CancellationToken ct) => fake.WeChatAsync(http));
        app.MapPost("/gateway.do", (HttpContext http, CancellationToken ct) => fake.AlipayAsync(http));
        await app.StartAsync();
        fake.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return fake;
    }

    private async Task<IResult> WeChatAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var auth = http.Request.Headers.Authorization.ToString();
        const string scheme = "WECHATPAY2-SHA256-RSA2048 ";
        var fields = auth.StartsWith(scheme, StringComparison.Ordinal)
            ? auth[scheme.Length..].Split(',').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1].Trim('"'))
            : [];
        var message = $"POST\n{http.Request.Path}\n{fields.GetValueOrDefault("timestamp")}\n{fields.GetValueOrDefault("nonce_str")}\n{body}\n";
        if (!PaymentKeys.Verify(MerchantKey, message, fields.GetValueOrDefault("signature")))
        {
            Interlocked.Increment(ref _refused);
            return Results.Json(new { code = "SIGN_ERROR", message = "signature" }, statusCode: 401);
        }
        var json = JsonSerializer.Deserialize<JsonElement>(body);
        WeChat.Add((http.Request.Path.ToString(), json));
        var n = Interlocked.Increment(ref _calls);
        return http.Request.Path.ToString() switch
        {
            "/v3/pay/transactions/jsapi" => Results.Json(new { prepay_id = $"wx_prepay_{n}" }),
            "/v3/pay/transactions/native" => Results.Json(new { code_url = $"weixin://wxpay/bizpayurl?pr=fake{n}" }),
            "/v3/refund/domestic/refunds" => Results.Json(new { refund_id = $"wx_refund_{n}", status = "SUCCESS" }),
            _ => Results.NotFound(),
        };
    }

    private async Task<IResult> AlipayAsync(HttpContext http)
    {
        var form = (await http.Request.ReadFormAsync()).ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        if (!PaymentKeys.Verify(AppKey, AlipayProvider.SigningText(form, "sign"), form.GetValueOrDefault("sign")))
        {
            Interlocked.Increment(ref _refused);
            return Results.Json(new { error_response = new { code = "40002", sub_code = "isv.invalid-signature" } });
        }
        var method = form["method"];
        var biz = JsonSerializer.Deserialize<JsonElement>(form["biz_content"]);
        Alipay.Add((method, biz));
        var n = Interlocked.Increment(ref _calls);
        var answer = method switch
        {
            "alipay.trade.precreate" => new JsonObject { ["code"] = "10000", ["msg"] = "Success", ["out_trade_no"] = biz.GetProperty("out_trade_no").GetString(), ["qr_code"] = $"https://qr.alipay.com/fake{n}" },
            "alipay.trade.refund" => new JsonObject { ["code"] = "10000", ["msg"] = "Success", ["trade_no"] = $"2026{n}", ["fund_change"] = "Y" },
            _ => new JsonObject { ["code"] = "40004", ["msg"] = "Business Failed" },
        };
        return Results.Text(new JsonObject { [method.Replace('.', '_') + "_response"] = answer, ["sign"] = "not-checked" }.ToJsonString(), "application/json");
    }

    /// <summary>A WeChat Pay v3 payment notification for a try: its headers (signed with <paramref name="signer"/>) and body.</summary>
    public (Dictionary<string, string> Headers, string Body) WeChatNotification(Guid paymentId, long total, string tradeState, RSA signer, DateTimeOffset now)
    {
        var transaction = new JsonObject
        {
            ["mchid"] = "1900000001", ["appid"] = "wxtestapp", ["out_trade_no"] = paymentId.ToString("N"), ["transaction_id"] = "4200000000000001",
            ["trade_type"] = "JSAPI", ["trade_state"] = tradeState, ["amount"] = new JsonObject { ["total"] = total, ["payer_total"] = total, ["currency"] = "CNY" },
        }.ToJsonString();
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        var plain = Encoding.UTF8.GetBytes(transaction);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(Encoding.UTF8.GetBytes(ApiV3Key), 16))
            aes.Encrypt(Encoding.UTF8.GetBytes(nonce), plain, cipher, tag, Encoding.UTF8.GetBytes("transaction"));
        var body = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(), ["create_time"] = now.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            ["resource_type"] = "encrypt-resource", ["event_type"] = tradeState == "SUCCESS" ? "TRANSACTION.SUCCESS" : "TRANSACTION.CLOSED",
            ["resource"] = new JsonObject
            {
                ["original_type"] = "transaction", ["algorithm"] = "AEAD_AES_256_GCM", ["ciphertext"] = Convert.ToBase64String([.. cipher, .. tag]),
                ["associated_data"] = "transaction", ["nonce"] = nonce,
            },
        }.ToJsonString();
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var headerNonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return (new Dictionary<string, string>
        {
            ["Wechatpay-Timestamp"] = timestamp,
            ["Wechatpay-Nonce"] = headerNonce,
            ["Wechatpay-Serial"] = "PLATFORM-SERIAL-1",
            ["Wechatpay-Signature"] = PaymentKeys.Sign(signer, $"{timestamp}\n{headerNonce}\n{body}\n"),
            ["Wechatpay-Signature-Type"] = "WECHATPAY2-SHA256-RSA2048",
        }, body);
    }

    /// <summary>An Alipay async notification's form for a try, signed with <paramref name="signer"/>.</summary>
    public static Dictionary<string, string> AlipayNotification(Guid paymentId, string totalAmount, string tradeStatus, string appId, RSA signer)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["notify_time"] = "2026-12-06 22:10:49", ["notify_type"] = "trade_status_sync", ["notify_id"] = Guid.NewGuid().ToString("N"),
            ["app_id"] = appId, ["charset"] = "utf-8", ["version"] = "1.0", ["sign_type"] = "RSA2", ["trade_no"] = "2026120622001", ["out_trade_no"] = paymentId.ToString("N"),
            ["trade_status"] = tradeStatus, ["total_amount"] = totalAmount, ["subject"] = "Errand D-000001", ["gmt_payment"] = "2026-12-06 22:10:47",
        };
        form["sign"] = PaymentKeys.Sign(signer, AlipayProvider.SigningText(form, "sign", "sign_type"));
        return form;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        MerchantKey.Dispose();
        PlatformKey.Dispose();
        AppKey.Dispose();
        AlipayKey.Dispose();
    }
}
