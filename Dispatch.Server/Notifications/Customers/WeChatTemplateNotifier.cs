using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// WeChat official account template messages: POST {ApiUrl}?access_token=… with the customer's openid, the kind's template
/// id, the tracking link as the message's url and the text and order number as data fields (first, keyword1, remark).
/// WeChat answers 200 with an errcode: 0 is sent; 40003 (bad openid) and 43004 (not following the account) are skipped;
/// others are thrown to be retried (40001/42001: an expired token that its keeper will renew).
/// </summary>
internal sealed class WeChatTemplateNotifier(IHttpClientFactory http, IOptions<CustomerNotificationOptions> options) : ICustomerNotifier
{
    public CustomerChannel Channel => CustomerChannel.WeChatTemplate;

    public async Task<CustomerSendResult> SendAsync(CustomerMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var o = options.Value.WeChat;
        if (message.WeChatOpenId.Length == 0) return CustomerSendResult.Skip("the order has no customerWeChatOpenId");
        if (!o.TemplateIds.TryGetValue(message.Kind.ToString(), out var template) || string.IsNullOrEmpty(template))
            return CustomerSendResult.Skip($"no WeChat template id for {message.Kind} (Notifications:WeChat:TemplateIds:{message.Kind})");
        var body = new
        {
            touser = message.WeChatOpenId,
            template_id = template,
            url = message.Link,
            data = new
            {
                first = new { value = message.Text },
                keyword1 = new { value = message.OrderNumber },
                remark = new { value = message.Link },
            },
        };
        var url = $"{o.ApiUrl}?access_token={Uri.EscapeDataString(o.AccessToken ?? "")}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        using var client = http.CreateClient(CustomerNotificationComposition.HttpClientName);
        using var response = await client.PostAsJsonAsync(url, body, timeout.Token);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        var code = answer.TryGetProperty("errcode", out var e) && e.TryGetInt32(out var c) ? c : 0;
        return code switch
        {
            0 => CustomerSendResult.Done,
            40003 or 43004 => CustomerSendResult.Skip($"WeChat refused the openid (errcode {code})"),
            _ => throw new HttpRequestException($"WeChat answered errcode {code}."),
        };
    }
}
