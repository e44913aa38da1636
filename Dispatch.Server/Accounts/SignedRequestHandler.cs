using System.Buffers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Dispatch.Core.Accounts;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Redis;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dispatch.Server.Accounts;

/// <summary>
/// Authenticates a request signed with a merchant API key (docs/merchant-api-keys.md) as that merchant: sub = the key's
/// organisation, role merchant. A refused signature answers 401 with a problem whose title says which check failed.
/// </summary>
internal sealed partial class SignedRequestHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    MerchantKeys keys,
    IConnectionMultiplexer redis,
    RedisKeys redisKeys,
    TimeProvider clock,
    RefusalLog refusals,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "Signature";

    /// <summary>The default scheme: signed when the request has a Dispatch-Key header, JWT bearer otherwise.</summary>
    public const string EitherScheme = "BearerOrSignature";

    public const string KeyHeader = "Dispatch-Key", TimestampHeader = "Dispatch-Timestamp", NonceHeader = "Dispatch-Nonce", SignatureHeader = "Dispatch-Signature";

    private Failure? _refusal;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers;
        string keyId = headers[KeyHeader].ToString(), signature = headers[SignatureHeader].ToString(), nonce = headers[NonceHeader].ToString();
        foreach (var (name, value) in new[] { (TimestampHeader, headers[TimestampHeader].ToString()), (NonceHeader, nonce), (SignatureHeader, signature) })
        {
            if (value.Length == 0) return Refuse("Signature header missing", $"A request with {KeyHeader} must also carry {name}.");
        }
        if (keyId.Length > 32) return Refuse("Unknown API key", $"{KeyHeader} '{keyId[..32]}…' is not a key of this server.");
        var key = await keys.FindAsync(keyId, Context.RequestAborted);
        if (key is null) return Refuse("Unknown API key", $"{KeyHeader} '{keyId}' is not a key of this server.");
        if (key.Revoked) return Refuse("API key revoked", $"Key '{keyId}' has been revoked; create a new one.");
        if (RequestSigning.CheckTimestamp(headers[TimestampHeader], clock.GetUtcNow(), out var timestamp) is { } stale)
            return Refuse("Stale timestamp", stale);
        if (RequestSigning.CheckNonce(nonce) is { } badNonce) return Refuse("Invalid nonce", badNonce);
        var target = Context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (Request.PathBase + Request.Path + Request.QueryString).ToString();
        var canonical = RequestSigning.CanonicalString(Request.Method, target, timestamp, nonce, await BodyHashAsync());
        if (!RequestSigning.Verify(key.Secret, canonical, signature))
            return Refuse("Wrong signature", $"{SignatureHeader} is not the HMAC-SHA256 of this request under key '{keyId}' (see docs/merchant-api-keys.md for the exact string signed).");
        // Recorded only once the signature holds, so nobody can burn a merchant's nonces; kept past the timestamp window.
        var fresh = await redis.GetDatabase().StringSetAsync(redisKeys.RequestNonce(keyId, nonce), 1, RequestSigning.Window * 2 + TimeSpan.FromMinutes(1), When.NotExists);
        if (!fresh) return Refuse("Nonce already used", $"{NonceHeader} '{nonce}' was used before with key '{keyId}': a replayed request is refused. Send a new nonce with every request.");
        var identity = new ClaimsIdentity(
            [new Claim("sub", key.Organisation), new Claim("role", Roles.Merchant), new Claim("name", key.Name), new Claim(AccountClaims.KeyId, keyId)],
            SchemeName, "sub", "role");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        var refusal = _refusal ?? new Failure(StatusCodes.Status401Unauthorized, "Signature required", "Sign the request with a merchant API key.");
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = refusal.StatusCode, Title = refusal.Title, Detail = refusal.Detail },
        });
    }

    private AuthenticateResult Refuse(string title, string detail)
    {
        _refusal = new Failure(StatusCodes.Status401Unauthorized, title, detail);
        if (refusals.ShouldLog("signature", RateLimits.Address(Context), out var suppressed))
            LogRefused(Logger, Request.Method, Request.Path, title, detail, suppressed);
        return AuthenticateResult.Fail(detail);
    }

    /// <summary>SHA-256 of the body, left readable for the endpoint (buffered, rewound).</summary>
    private async Task<string> BodyHashAsync()
    {
        Request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await Request.Body.ReadAsync(buffer, Context.RequestAborted)) > 0) hash.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}: signed request refused, {Title}: {Detail} ({Suppressed} more from this address not logged)")]
    private static partial void LogRefused(ILogger logger, string method, string path, string title, string detail, long suppressed);
}
