using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Auth;

/// <summary>
/// Signed, expiring customer tracking tokens: base64url(order id ‖ expiry ‖ HMAC-SHA256 truncated to 128 bits).
/// Unguessable without the key, tied to one order, and revocable through the order's tracking expiry in Postgres.
/// A credential like the JWTs (<see cref="TokenIssuer"/>): orders and notifications issue them, the tracking hub reads them.
/// </summary>
internal sealed class TrackingLinks(IOptions<AuthOptions> options)
{
    private const int MacBytes = 16;
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.LinkSigningKey);

    public string Create(Guid orderId, DateTimeOffset expiresAt)
    {
        Span<byte> data = stackalloc byte[16 + 8 + MacBytes];
        orderId.TryWriteBytes(data[..16]);
        BinaryPrimitives.WriteInt64BigEndian(data.Slice(16, 8), expiresAt.ToUnixTimeSeconds());
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, data[..24], mac);
        mac[..MacBytes].CopyTo(data[24..]);
        return WebEncoders.Base64UrlEncode(data.ToArray());
    }

    /// <summary>The order id and expiry when the token is authentic, else null. Expiry is checked by the caller.</summary>
    public (Guid OrderId, DateTimeOffset ExpiresAt)? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return null;
        byte[] data;
        try
        {
            data = WebEncoders.Base64UrlDecode(token);
        }
        catch (FormatException)
        {
            return null;
        }
        if (data.Length != 16 + 8 + MacBytes) return null;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, data.AsSpan(0, 24), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacBytes], data.AsSpan(24, MacBytes))) return null;
        var orderId = new Guid(data.AsSpan(0, 16));
        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(16, 8)));
        return (orderId, expires);
    }
}
