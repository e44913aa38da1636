using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Courier.Api;

/// <summary>Signs payment callbacks: <c>X-Dispatch-Signature: sha256=&lt;lowercase hex HMAC-SHA256 of the raw body&gt;</c>.</summary>
internal static class PaymentSignature
{
    public const string HeaderName = "X-Dispatch-Signature";

    /// <summary>Environment variable (ASP.NET Core configuration key <c>Payments:CallbackSecret</c>) holding the secret.</summary>
    public const string SecretEnvironmentVariable = "Payments__CallbackSecret";

    public static string Compute(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, mac);
        return "sha256=" + Convert.ToHexStringLower(mac);
    }
}
