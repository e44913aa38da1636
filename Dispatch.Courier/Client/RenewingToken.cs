using System.Buffers.Text;
using System.Text.Json;

namespace Dispatch.Courier.Client;

/// <summary>
/// A bearer token renewed shortly before it expires, for work that outlives it: the server closes a hub connection when
/// its token expires and the reconnect asks this for a token again; API calls ask before each request. One renewal at a
/// time; a failed renewal keeps the current token (the server then says whether it still takes it).
/// </summary>
internal sealed class RenewingToken(string initial, Func<CancellationToken, Task<string>> renew, TimeProvider time)
{
    /// <summary>Renew this long before expiry, so a reconnect never presents a token about to run out.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly Lock _sync = new();
    private volatile string _token = initial;
    private Task<string>? _renewing;

    /// <summary>The current token, renewed first when it expires within <see cref="RenewBefore"/>.</summary>
    public Task<string?> GetAsync() => IsDue(_token) ? RenewedAsync() : Task.FromResult<string?>(_token);

    /// <summary><see cref="GetAsync"/> for API calls, which take the token as a string.</summary>
    public async Task<string> CurrentAsync() => (await GetAsync())!;

    private async Task<string?> RenewedAsync()
    {
        Task<string> renewing;
        lock (_sync) renewing = _renewing ??= RenewAsync();
        return await renewing;
    }

    private async Task<string> RenewAsync()
    {
        try
        {
            _token = await renew(CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or Api.DispatchApiException or TaskCanceledException)
        {
            // Keep the current token; the next call tries again.
        }
        finally
        {
            lock (_sync) _renewing = null;
        }
        return _token;
    }

    private bool IsDue(string token) => ExpiresAt(token) is { } expires && expires - time.GetUtcNow() < RenewBefore;

    /// <summary>The token's <c>exp</c> claim, or null when it is not a JWT with one.</summary>
    internal static DateTimeOffset? ExpiresAt(string token) =>
        Claim(token, "exp") is { ValueKind: JsonValueKind.Number } exp && exp.TryGetInt64(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>The token's <c>sub</c> claim, or null.</summary>
    internal static string? Subject(string token) => Claim(token, "sub") is { ValueKind: JsonValueKind.String } sub ? sub.GetString() : null;

    private static JsonElement? Claim(string token, string name)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.TryGetProperty(name, out var value) ? value.Clone() : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
