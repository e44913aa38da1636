using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dispatch.Courier.Api;

/// <summary>
/// Client for the server's HTTP API: development fleet and tokens, zones, orders and the signed payment callback.
/// Non-success answers throw <see cref="DispatchApiException"/> with the problem details; an unreachable server
/// throws <see cref="HttpRequestException"/>.
/// </summary>
internal sealed class DispatchApiClient : IDisposable
{
    /// <summary>camelCase names, enums as camelCase strings ("errand", "insulatedBox").</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Talks to <paramref name="server"/> (e.g. http://localhost:5000) with its own HttpClient.</summary>
    public DispatchApiClient(Uri server)
        : this(CreateHttpClient(server), ownsHttp: true)
    {
    }

    /// <summary>Uses <paramref name="http"/> (e.g. from WebApplicationFactory); its BaseAddress must be set.</summary>
    public DispatchApiClient(HttpClient http)
        : this(http, ownsHttp: false)
    {
    }

    private DispatchApiClient(HttpClient http, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null) throw new ArgumentException("HttpClient.BaseAddress must be the server's address.", nameof(http));
        _http = http;
        _ownsHttp = ownsHttp;
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary><c>POST /dev/fleet</c> (Development only): the same couriers for the same prefix and count.</summary>
    public async Task<IReadOnlyList<FleetCourier>> CreateDevFleetAsync(int count, string prefix, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        using var request = Json(HttpMethod.Post, "dev/fleet", new DevFleetRequest(count, prefix));
        return await SendAsync<FleetCourier[]>(request, cancellationToken);
    }

    /// <summary><c>POST /dev/token</c> (Development only): a bearer token for role merchant, dispatcher, admin or courier.</summary>
    public async Task<string> CreateDevTokenAsync(string role, string subject, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        using var request = Json(HttpMethod.Post, "dev/token", new DevTokenRequest(role, subject));
        var response = await SendAsync<DevTokenResponse>(request, cancellationToken);
        return response.Token;
    }

    /// <summary><c>GET /api/zones</c> (anonymous).</summary>
    public async Task<IReadOnlyList<ZoneInfo>> GetZonesAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/zones");
        return await SendAsync<ZoneInfo[]>(request, cancellationToken);
    }

    /// <summary><c>POST /api/orders</c> as a merchant. The same <paramref name="idempotencyKey"/> returns the same order.</summary>
    public async Task<CreatedOrder> CreateOrderAsync(
        NewOrder order, string merchantToken, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentException.ThrowIfNullOrWhiteSpace(merchantToken);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        using var request = Json(HttpMethod.Post, "api/orders", order);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", merchantToken);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await SendAsync<CreatedOrder>(request, cancellationToken);
    }

    /// <summary><c>POST /api/payments/callback</c>, signed with HMAC-SHA256 of the exact body bytes.</summary>
    public async Task SendPaymentCallbackAsync(PaymentCallback callback, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        // Serialize once: the signature must cover exactly the bytes that go on the wire.
        var body = JsonSerializer.SerializeToUtf8Bytes(callback, JsonOptions);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/payments/callback")
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(PaymentSignature.HeaderName, PaymentSignature.Compute(body, secret));
        var call = Describe(request);
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(call, response, cancellationToken);
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private static HttpRequestMessage Json<T>(HttpMethod method, string path, T body) =>
        new(method, path) { Content = JsonContent.Create(body, options: JsonOptions) };

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = Describe(request);
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(call, response, cancellationToken);
        try
        {
            var value = await response.Content.ReadFromJsonAsync<T>(JsonOptions, cancellationToken);
            return value ?? throw new DispatchApiException(
                $"{call.Text} answered {(int)response.StatusCode} with an empty body.",
                response.StatusCode, call.Path, null, null);
        }
        catch (JsonException ex)
        {
            throw new DispatchApiException($"{call.Text} answered with JSON this client does not understand: {ex.Message}", ex);
        }
    }

    private static async Task EnsureSuccessAsync(Call call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var problem = TryParseProblem(text);
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{call.Text} failed: {(int)response.StatusCode} {response.ReasonPhrase}");
        if (problem?.Title is { Length: > 0 } title && title != response.ReasonPhrase) message.Append(": ").Append(title);
        if (problem?.Detail is { Length: > 0 } detail) message.Append(" — ").Append(detail);
        foreach (var (field, errors) in problem?.Errors ?? [])
        {
            message.Append(CultureInfo.InvariantCulture, $"; {field}: {string.Join(" ", errors)}");
        }
        if (problem is null && text.Length is > 0 and < 500) message.Append(": ").Append(text);
        throw new DispatchApiException(message.ToString(), response.StatusCode, call.Path, problem?.Title, problem?.Detail)
        {
            RetryAfter = RetryAfterOf(response),
        };
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static ProblemBody? TryParseProblem(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.TrimStart()[0] != '{') return null;
        try
        {
            return JsonSerializer.Deserialize<ProblemBody>(text, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Taken before sending: HttpClient replaces the relative request URI with the absolute one.</summary>
    private static Call Describe(HttpRequestMessage request)
    {
        var path = request.RequestUri?.OriginalString.TrimStart('/') ?? "";
        return new Call(path, $"{request.Method} /{path}");
    }

    private static HttpClient CreateHttpClient(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        // Trailing slash so relative paths resolve under a path base such as http://host/dispatch/.
        var text = server.ToString();
        var baseAddress = new Uri(text.EndsWith('/') ? text : text + "/");
        return new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private readonly record struct Call(string Path, string Text);
}
