using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Dispatch.Server.Webhooks;

/// <summary>
/// Endpoint signing secrets: made here (32 random bytes, base64url), stored encrypted with the app's Data Protection key
/// ring (shared by every node through PostgreSQL), opened for signing and cached by their ciphertext.
/// </summary>
internal sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    /// <summary>The Data Protection purpose: only this protector opens these ciphertexts.</summary>
    public const string Purpose = "Dispatch.Webhooks.Secret.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);
    private readonly ConcurrentDictionary<string, string> _opened = new(StringComparer.Ordinal);

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Open(string encrypted)
    {
        if (_opened.TryGetValue(encrypted, out var secret)) return secret;
        secret = _protector.Unprotect(encrypted);
        if (_opened.Count > 10_000) _opened.Clear(); // deleted endpoints' entries go with the rest; they are cheap to open again
        _opened[encrypted] = secret;
        return secret;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
