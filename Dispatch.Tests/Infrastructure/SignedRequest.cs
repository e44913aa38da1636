using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Core.Accounts;

namespace Dispatch.Tests.Infrastructure;

/// <summary>A request signed as docs/merchant-api-keys.md says, with each part open to tampering by a test.</summary>
public static class SignedRequest
{
    public static HttpRequestMessage Build(HttpMethod method, string target, object? body, string keyId, string secret,
        DateTimeOffset? at = null, string? nonce = null, string? signatureOverride = null)
    {
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, DispatchServer.Json));
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        nonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var canonical = RequestSigning.CanonicalString(method.Method, target, timestamp, nonce, RequestSigning.BodyHash(bytes));
        var request = new HttpRequestMessage(method, target);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        request.Headers.Add("Dispatch-Key", keyId);
        request.Headers.Add("Dispatch-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("Dispatch-Nonce", nonce);
        request.Headers.Add("Dispatch-Signature", signatureOverride ?? RequestSigning.Sign(secret, canonical));
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }
}
