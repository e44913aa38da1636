using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Dispatch.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Webhooks;

/// <summary>Sends one delivery: the stored body, signed with the endpoint's secret(s) at the time of sending, with the event's headers.</summary>
internal sealed class WebhookPoster(IHttpClientFactory clients, WebhookSecrets secrets, IOptions<WebhookOptions> options, TimeProvider clock)
{
    /// <summary>The named HttpClient (no redirects followed: a receiver's redirect could point the signed body anywhere).</summary>
    public const string HttpClientName = "webhooks";

    public const string EventIdHeader = "Dispatch-Event-Id";

    public const string EventTypeHeader = "Dispatch-Event-Type";

    public const string AttemptHeader = "Dispatch-Attempt";

    private static readonly MediaTypeHeaderValue JsonType = new("application/json") { CharSet = "utf-8" };

    // One client for every POST: its handler lives as long as the process (WebhookComposition), so a client per POST only
    // redid the factory's work (options, the User-Agent parsed again) each time.
    private readonly HttpClient _client = clients.CreateClient(HttpClientName);

    // Endpoints' URLs parsed once (a POST per event, to a few endpoints); cleared when large, like the secrets.
    private readonly ConcurrentDictionary<string, Uri> _urls = new(StringComparer.Ordinal);

    public async Task<DeliveryResult> PostAsync(ClaimedDelivery d, CancellationToken ct)
    {
        var timeout = options.Value.Timeout;
        try
        {
            var body = Encoding.UTF8.GetBytes(d.Body);
            using var request = new HttpRequestMessage(HttpMethod.Post, Url(d.Url)) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = JsonType;
            // Values made here (a UUID, a known type, a number, hex): no header parsing needed to check them.
            request.Headers.TryAddWithoutValidation(EventIdHeader, d.EventId.ToString());
            request.Headers.TryAddWithoutValidation(EventTypeHeader, d.EventType);
            request.Headers.TryAddWithoutValidation(AttemptHeader, d.Attempt.ToString(CultureInfo.InvariantCulture));
            var now = clock.GetUtcNow();
            // During a rotation's overlap the old secret signs too, after the new one: a receiver on either accepts it.
            string[] keys = d.PreviousSecretEncrypted is { } previous && d.PreviousSecretUntil > now
                ? [secrets.Open(d.SecretEncrypted), secrets.Open(previous)]
                : [secrets.Open(d.SecretEncrypted)];
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(keys, now.ToUnixTimeSeconds(), body));
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new DeliveryResult(d, true, code, null, clock.GetUtcNow())
                : new DeliveryResult(d, false, code, string.Create(CultureInfo.InvariantCulture, $"HTTP {code}"), clock.GetUtcNow());
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryResult(d, false, null, string.Create(CultureInfo.InvariantCulture, $"no answer within {timeout.TotalSeconds:0.#} s"), clock.GetUtcNow());
        }
        catch (HttpRequestException ex)
        {
            return new DeliveryResult(d, false, (int?)ex.StatusCode, Trim($"{ex.HttpRequestError}: {ex.Message}"), clock.GetUtcNow());
        }
    }

    private Uri Url(string url)
    {
        if (_urls.TryGetValue(url, out var uri)) return uri;
        if (_urls.Count > 10_000) _urls.Clear();
        return _urls[url] = new Uri(url, UriKind.Absolute);
    }

    private static string Trim(string error) => error.Length <= 500 ? error : error[..500];
}
