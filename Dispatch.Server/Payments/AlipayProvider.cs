using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dispatch.Core.Payments;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Payments;

/// <summary>
/// Alipay open platform (gateway.do, RSA2). Payments: alipay.trade.precreate (a QR code) or alipay.trade.create (a buyer id;
/// the answer's trade_no goes to the client). Requests are form posts of the common parameters and biz_content, signed with
/// the application key over the parameters sorted by name ("k=v&amp;…", sign left out). Async notifications are form posts
/// signed the same way by Alipay (sign and sign_type left out). Refunds: alipay.trade.refund. Amounts in yuan, CNY only.
/// </summary>
internal sealed class AlipayProvider(IHttpClientFactory http, IOptions<PaymentOptions> options, TimeProvider clock) : IPaymentProvider
{
    public const string ProviderName = "alipay";

    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private readonly Lazy<System.Security.Cryptography.RSA> _appKey = new(() => PaymentKeys.Load(options.Value.Alipay.AppPrivateKeyPem));
    private readonly Lazy<System.Security.Cryptography.RSA> _alipayKey = new(() => PaymentKeys.Load(options.Value.Alipay.AlipayPublicKeyPem));

    public string Name => ProviderName;

    private AlipayOptions O => options.Value.Alipay;

    public async Task<ProviderResult<PaymentStart>> StartAsync(PaymentOrder order, CancellationToken ct)
    {
        if (order.Currency != "CNY") return new ProviderError($"Alipay charges CNY; this order is priced in {order.Currency}.");
        var create = string.Equals(order.Channel, "create", StringComparison.OrdinalIgnoreCase);
        if (create && string.IsNullOrEmpty(order.Payer)) return new ProviderError("alipay.trade.create needs the buyer's id (payer).");
        var biz = new JsonObject
        {
            ["out_trade_no"] = order.PaymentId.ToString("N"),
            ["total_amount"] = PaymentRules.Format(order.Cents),
            ["subject"] = order.Description,
        };
        if (create) biz["buyer_id"] = order.Payer;
        var method = create ? "alipay.trade.create" : "alipay.trade.precreate";
        var answer = await CallAsync(method, biz, ct);
        if (!answer.Ok) return new ProviderError(answer.Error!);
        var r = answer.Value!;
        return create
            ? new PaymentStart(r["trade_no"]?.GetValue<string>() ?? "", new Dictionary<string, string> { ["tradeNo"] = r["trade_no"]?.GetValue<string>() ?? "" })
            : new PaymentStart(order.PaymentId.ToString("N"), new Dictionary<string, string> { ["qrCode"] = r["qr_code"]?.GetValue<string>() ?? "" });
    }

    public ProviderResult<PaymentNotice> ReadNotification(IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        if (!PaymentKeys.Verify(_alipayKey.Value, SigningText(form, "sign", "sign_type"), form.GetValueOrDefault("sign")))
            return new ProviderError("sign does not verify with the Alipay public key.");
        if (form.GetValueOrDefault("app_id") != O.AppId) return new ProviderError("app_id is not this application.");
        if (!Guid.TryParseExact(form.GetValueOrDefault("out_trade_no"), "N", out var paymentId))
            return new ProviderError("out_trade_no is not a payment of this server.");
        var state = form.GetValueOrDefault("trade_status");
        var status = state switch
        {
            "TRADE_SUCCESS" or "TRADE_FINISHED" => NoticeStatus.Paid,
            "TRADE_CLOSED" => NoticeStatus.Failed,
            _ => NoticeStatus.Waiting,
        };
        long? cents = decimal.TryParse(form.GetValueOrDefault("total_amount"), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan)
            ? PaymentRules.ToCents(yuan) : null;
        return new PaymentNotice(paymentId, status, cents, "CNY", form.GetValueOrDefault("trade_no"), $"alipay {state}");
    }

    public async Task<ProviderResult<string>> RefundAsync(RefundOrder refund, CancellationToken ct)
    {
        var biz = new JsonObject
        {
            ["out_trade_no"] = refund.PaymentId.ToString("N"),
            ["refund_amount"] = PaymentRules.Format(refund.Cents),
            ["out_request_no"] = refund.RefundId.ToString("N"),
            ["refund_reason"] = refund.Reason,
        };
        var answer = await CallAsync("alipay.trade.refund", biz, ct);
        return answer.Ok ? answer.Value!["trade_no"]?.GetValue<string>() ?? refund.RefundId.ToString("N") : new ProviderError(answer.Error!);
    }

    /// <summary>The text Alipay signs: every non-empty parameter but <paramref name="leaveOut"/>, sorted by name, as k=v joined by &amp;.</summary>
    public static string SigningText(IReadOnlyDictionary<string, string> parameters, params string[] leaveOut) =>
        string.Join('&', parameters.Where(kv => !leaveOut.Contains(kv.Key) && !string.IsNullOrEmpty(kv.Value))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    private async Task<ProviderResult<JsonNode>> CallAsync(string method, JsonObject biz, CancellationToken ct)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app_id"] = O.AppId,
            ["method"] = method,
            ["format"] = "JSON",
            ["charset"] = "utf-8",
            ["sign_type"] = "RSA2",
            ["timestamp"] = clock.GetUtcNow().ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["version"] = "1.0",
            ["biz_content"] = biz.ToJsonString(),
        };
        if (O.NotifyUrl.Length > 0 && method != "alipay.trade.refund") parameters["notify_url"] = O.NotifyUrl;
        parameters["sign"] = PaymentKeys.Sign(_appKey.Value, SigningText(parameters, "sign"));
        try
        {
            using var content = new FormUrlEncodedContent(parameters);
            using var response = await http.CreateClient(PaymentComposition.HttpClientName).PostAsync(new Uri(O.GatewayUrl), content, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) return new ProviderError($"Alipay answered {(int)response.StatusCode}.");
            var answer = JsonNode.Parse(text)?[method.Replace('.', '_') + "_response"];
            var code = answer?["code"]?.GetValue<string>();
            if (code != "10000") return new ProviderError($"Alipay {method} answered {code} {answer?["sub_code"]?.GetValue<string>()} {answer?["sub_msg"]?.GetValue<string>()}".Trim());
            return answer!;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new ProviderError($"Alipay could not be reached: {ex.Message}");
        }
    }
}
