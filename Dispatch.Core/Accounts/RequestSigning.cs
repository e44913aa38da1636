using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Core.Accounts;

/// <summary>
/// Merchant API request signatures (docs/merchant-api-keys.md): HMAC-SHA256, keyed with the secret's ASCII text, over a
/// canonical string of method, request target, timestamp, nonce and the body's SHA-256. Pure: the caller passes the clock.
/// </summary>
public static class RequestSigning
{
    public const string Scheme = "DISPATCH-HMAC-SHA256";

    /// <summary>How far a request's timestamp may be from the server's clock, either way.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public const int MinNonceLength = 16, MaxNonceLength = 64;

    /// <summary>The lines signed, joined by "\n" (no trailing newline). <paramref name="target"/> is the path with its query, as sent.</summary>
    public static string CanonicalString(string method, string target, long unixSeconds, string nonce, string bodySha256Hex) =>
        string.Join('\n', Scheme, method.ToUpperInvariant(), target, unixSeconds.ToString(CultureInfo.InvariantCulture), nonce, bodySha256Hex);

    public static string BodyHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>Lower-case hex HMAC-SHA256 of the canonical string.</summary>
    public static string Sign(string secret, string canonical) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.ASCII.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));

    /// <summary>Whether <paramref name="signatureHex"/> is the signature of <paramref name="canonical"/>, compared in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> secret, string canonical, string signatureHex)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(canonical), expected);
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (signatureHex.Length != given.Length * 2 || Convert.FromHexString(signatureHex, given, out _, out var written) != System.Buffers.OperationStatus.Done || written != given.Length)
            return false;
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Why the timestamp header cannot be accepted at <paramref name="now"/>, or null when it is fresh.</summary>
    public static string? CheckTimestamp(string? header, DateTimeOffset now, out long unixSeconds)
    {
        unixSeconds = 0;
        if (!long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out unixSeconds))
            return "Dispatch-Timestamp must be the request time in whole seconds since 1970-01-01 UTC.";
        var skew = now.ToUnixTimeSeconds() - unixSeconds;
        if (Math.Abs(skew) > (long)Window.TotalSeconds)
            return string.Create(CultureInfo.InvariantCulture,
                $"Dispatch-Timestamp is {Math.Abs(skew)} s {(skew > 0 ? "old" : "in the future")}; it must be within {(long)Window.TotalSeconds} s of the server's clock ({now.ToUnixTimeSeconds()}).");
        return null;
    }

    /// <summary>Why a nonce is not acceptable, or null: 16–64 letters, digits, '-' or '_'.</summary>
    public static string? CheckNonce(string? nonce) =>
        nonce is { Length: >= MinNonceLength and <= MaxNonceLength } && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? null
            : $"Dispatch-Nonce must be {MinNonceLength}–{MaxNonceLength} letters, digits, '-' or '_', new for every request.";
}
