using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Notifications.Customers;

/// <summary>
/// A generic HTTP SMS gateway: POST {Url} with the API key in a header and a JSON body whose field names come from settings.
/// A 2xx is sent; a 4xx other than 408/429 means the gateway refused this message (skipped: a retry would not help); anything
/// else (5xx, 408, 429, no answer) is thrown to be retried.
/// </summary>
internal sealed class HttpSmsNotifier(IHttpClientFactory http, IOptions<CustomerNotificationOptions> options) : ICustomerNotifier
{
    public CustomerChannel Channel => CustomerChannel.HttpSms;

    public async Task<CustomerSendResult> SendAsync(CustomerMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var o = options.Value.HttpSms;
        if (message.Phone.Length == 0) return CustomerSendResult.Skip("the order has no customer phone");
        var body = new JsonObject { [o.ToField] = message.Phone, [o.TextField] = message.Text };
        if (!string.IsNullOrEmpty(o.SenderField) && !string.IsNullOrEmpty(o.Sender)) body[o.SenderField] = o.Sender;
        using var request = new HttpRequestMessage(HttpMethod.Post, o.Url) { Content = JsonContent.Create(body) };
        if (!string.IsNullOrEmpty(o.ApiKey)) request.Headers.TryAddWithoutValidation(o.ApiKeyHeader, o.ApiKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        using var client = http.CreateClient(CustomerNotificationComposition.HttpClientName);
        using var response = await client.SendAsync(request, timeout.Token);
        if (response.IsSuccessStatusCode) return CustomerSendResult.Done;
        var code = (int)response.StatusCode;
        if (code is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests))
            return CustomerSendResult.Skip($"the SMS gateway refused the message ({code})");
        throw new HttpRequestException($"The SMS gateway answered {code}.", null, response.StatusCode);
    }
}
