using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Payments;

/// <summary>
/// WeChat Pay API v3. Orders: POST /v3/pay/transactions/jsapi (a payer openid; the answer's prepay_id becomes the JSAPI
/// parameters, signed with the merchant key), …/h5 (an h5_url) or …/native (a code_url to scan). Requests carry the WECHATPAY2-SHA256-RSA2048
/// Authorization header. Notifications: the Wechatpay-Signature header is RSA-SHA256 of "timestamp\nnonce\nbody\n" with the
/// platform key; the resource is AEAD_AES_256_GCM with the APIv3 key. Refunds: POST /v3/refund/domestic/refunds. CNY only.
/// </summary>
internal sealed class WeChatPayProvider(IHttpClientFactory http, IOptions<PaymentOptions> options, TimeProvider clock) : IPaymentProvider
{
    public const string ProviderName = "wechat";

    /// <summary>A notification older or newer than this is refused as a replay.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private readonly Lazy<RSA> _merchantKey = new(() => PaymentKeys.Load(options.Value.WeChat.MerchantPrivateKeyPem));
    private readonly Lazy<RSA> _platformKey = new(() => PaymentKeys.Load(options.Value.WeChat.PlatformPublicKeyPem));

    public string Name => ProviderName;

    private WeChatPayOptions O => options.Value.WeChat;

    public async Task<ProviderResult<PaymentStart>> StartAsync(PaymentOrder order, CancellationToken ct)
    {
        if (order.Currency != "CNY") return new ProviderError($"WeChat Pay charges CNY; this order is priced in {order.Currency}.");
        var h5 = string.Equals(order.Channel, "h5", StringComparison.OrdinalIgnoreCase);
        // Native: the payer scans a code in the WeChat app, so no openid is needed (a web page outside WeChat).
        var native = string.Equals(order.Channel, "native", StringComparison.OrdinalIgnoreCase);
        if (!h5 && !native && string.IsNullOrEmpty(order.Payer)) return new ProviderError("A JSAPI payment needs the payer's openid (payer).");
        var body = new JsonObject
        {
            ["appid"] = O.AppId,
            ["mchid"] = O.MchId,
            ["description"] = order.Description,
            ["out_trade_no"] = order.PaymentId.ToString("N"),
            ["notify_url"] = O.NotifyUrl,
            ["amount"] = new JsonObject { ["total"] = order.Cents, ["currency"] = "CNY" },
        };
        if (h5) body["scene_info"] = new JsonObject { ["payer_client_ip"] = order.PayerIp ?? "127.0.0.1", ["h5_info"] = new JsonObject { ["type"] = "Wap" } };
        else if (!native) body["payer"] = new JsonObject { ["openid"] = order.Payer };

        var path = h5 ? "/v3/pay/transactions/h5" : native ? "/v3/pay/transactions/native" : "/v3/pay/transactions/jsapi";
        var answer = await CallAsync(path, body, ct);
        if (!answer.Ok) return new ProviderError(answer.Error!);
        var json = answer.Value!;
        if (native)
        {
            var code = json["code_url"]?.GetValue<string>();
            return code is null ? new ProviderError("WeChat Pay answered without code_url.")
                : new PaymentStart(order.PaymentId.ToString("N"), new Dictionary<string, string> { ["codeUrl"] = code });
        }
        if (h5)
        {
            var url = json["h5_url"]?.GetValue<string>();
            return url is null ? new ProviderError("WeChat Pay answered without h5_url.")
                : new PaymentStart(order.PaymentId.ToString("N"), new Dictionary<string, string> { ["h5Url"] = url });
        }
        var prepay = json["prepay_id"]?.GetValue<string>();
        if (prepay is null) return new ProviderError("WeChat Pay answered without prepay_id.");
        var timeStamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var package = $"prepay_id={prepay}";
        var paySign = PaymentKeys.Sign(_merchantKey.Value, $"{O.AppId}\n{timeStamp}\n{nonce}\n{package}\n");
        return new PaymentStart(prepay, new Dictionary<string, string>
        {
            ["appId"] = O.AppId, ["timeStamp"] = timeStamp, ["nonceStr"] = nonce, ["package"] = package, ["signType"] = "RSA", ["paySign"] = paySign,
        });
    }

    public ProviderResult<PaymentNotice> ReadNotification(IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        var timestamp = headers.GetValueOrDefault("Wechatpay-Timestamp");
        var nonce = headers.GetValueOrDefault("Wechatpay-Nonce");
        var serial = headers.GetValueOrDefault("Wechatpay-Serial");
        if (timestamp is null || nonce is null) return new ProviderError("Wechatpay-Timestamp and Wechatpay-Nonce headers are required.");
        if (O.PlatformSerialNo.Length > 0 && serial != O.PlatformSerialNo)
            return new ProviderError($"Wechatpay-Serial {serial} is not the configured platform key.");
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799))).Duration() > MaxClockSkew)
            return new ProviderError("Wechatpay-Timestamp is missing or more than 5 minutes off.");
        var message = $"{timestamp}\n{nonce}\n{Encoding.UTF8.GetString(body)}\n";
        if (!PaymentKeys.Verify(_platformKey.Value, message, headers.GetValueOrDefault("Wechatpay-Signature")))
            return new ProviderError("Wechatpay-Signature does not verify with the platform key.");

        var notification = JsonNode.Parse(body);
        var resource = notification?["resource"];
        if (resource?["algorithm"]?.GetValue<string>() != "AEAD_AES_256_GCM") return new ProviderError("resource.algorithm must be AEAD_AES_256_GCM.");
        JsonNode? transaction;
        try
        {
            transaction = JsonNode.Parse(Decrypt(
                resource["ciphertext"]?.GetValue<string>() ?? "", resource["nonce"]?.GetValue<string>() ?? "", resource["associated_data"]?.GetValue<string>() ?? ""));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return new ProviderError("The notification's resource does not decrypt with the APIv3 key.");
        }
        if (!Guid.TryParseExact(transaction?["out_trade_no"]?.GetValue<string>(), "N", out var paymentId))
            return new ProviderError("out_trade_no is not a payment of this server.");
        var state = transaction!["trade_state"]?.GetValue<string>();
        var status = state switch
        {
            "SUCCESS" => NoticeStatus.Paid,
            "CLOSED" or "PAYERROR" or "REVOKED" => NoticeStatus.Failed,
            _ => NoticeStatus.Waiting,
        };
        var amount = transaction["amount"];
        return new PaymentNotice(paymentId, status, amount?["total"]?.GetValue<long>(), amount?["currency"]?.GetValue<string>(),
            transaction["transaction_id"]?.GetValue<string>(), $"wechat {notification?["event_type"]?.GetValue<string>()} {state}");
    }

    public async Task<ProviderResult<string>> RefundAsync(RefundOrder refund, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["out_trade_no"] = refund.PaymentId.ToString("N"),
            ["out_refund_no"] = refund.RefundId.ToString("N"),
            ["reason"] = refund.Reason.Length > 80 ? refund.Reason[..80] : refund.Reason,
            ["amount"] = new JsonObject { ["refund"] = refund.Cents, ["total"] = refund.TotalCents, ["currency"] = "CNY" },
        };
        var answer = await CallAsync("/v3/refund/domestic/refunds", body, ct);
        if (!answer.Ok) return new ProviderError(answer.Error!);
        var status = answer.Value!["status"]?.GetValue<string>();
        // PROCESSING: accepted, the money follows; only an ABNORMAL or CLOSED refund needs a person.
        return status is "SUCCESS" or "PROCESSING"
            ? answer.Value["refund_id"]?.GetValue<string>() ?? refund.RefundId.ToString("N")
            : new ProviderError($"WeChat Pay refund status {status}.");
    }

    /// <summary>AEAD_AES_256_GCM: the base64 ciphertext ends with the 16-byte tag; the key is the APIv3 key's 32 bytes.</summary>
    private string Decrypt(string ciphertext, string nonce, string associatedData)
    {
        var data = Convert.FromBase64String(ciphertext);
        if (data.Length < 16) throw new CryptographicException("Ciphertext shorter than its tag.");
        var plain = new byte[data.Length - 16];
        using var aes = new AesGcm(Encoding.UTF8.GetBytes(O.ApiV3Key), 16);
        aes.Decrypt(Encoding.UTF8.GetBytes(nonce), data.AsSpan(0, plain.Length), data.AsSpan(plain.Length), plain, Encoding.UTF8.GetBytes(associatedData));
        return Encoding.UTF8.GetString(plain);
    }

    private async Task<ProviderResult<JsonNode>> CallAsync(string path, JsonObject body, CancellationToken ct)
    {
        var text = body.ToJsonString();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var signature = PaymentKeys.Sign(_merchantKey.Value, $"POST\n{path}\n{timestamp}\n{nonce}\n{text}\n");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(O.ApiBaseUrl), path))
        {
            Content = new StringContent(text, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("WECHATPAY2-SHA256-RSA2048",
            $"mchid=\"{O.MchId}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{O.MerchantSerialNo}\"");
        request.Headers.Accept.ParseAdd("application/json");
        try
        {
            using var response = await http.CreateClient(PaymentComposition.HttpClientName).SendAsync(request, ct);
            var answer = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) return new ProviderError($"WeChat Pay answered {(int)response.StatusCode}: {Clip(answer)}");
            return JsonNode.Parse(answer) is { } json ? json : new ProviderError("WeChat Pay answered an empty body.");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new ProviderError($"WeChat Pay could not be reached: {ex.Message}");
        }
    }

    private static string Clip(string text) => text.Length > 200 ? text[..200] : text;
}
