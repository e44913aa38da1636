using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Core.Webhooks;

/// <summary>
/// The <c>Dispatch-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c>, the HMAC keyed with the
/// endpoint's secret as its UTF-8 text and computed over <c>"&lt;t&gt;.&lt;raw body&gt;"</c>. Signing the timestamp with the
/// body lets a receiver refuse replays of an old delivery. While a rotated secret's overlap lasts, one v1 per secret
/// (newest first): a receiver that knows either secret accepts the delivery. Pure.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Dispatch-Signature";

    /// <summary>The header value for <paramref name="body"/> (the exact bytes sent) at <paramref name="unixSeconds"/>.</summary>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v1={Hex(secret, unixSeconds, body)}");

    /// <summary>The header signed with each of <paramref name="secrets"/> (newest first): <c>t=…,v1=…,v1=…</c>.</summary>
    public static string Sign(IReadOnlyList<string> secrets, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0) throw new ArgumentException("At least one secret signs.", nameof(secrets));
        var header = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds}"));
        foreach (var secret in secrets) header.Append(",v1=").Append(Hex(secret, unixSeconds, body));
        return header.ToString();
    }

    /// <summary>The lower-case hex HMAC of <c>"&lt;t&gt;.&lt;body&gt;"</c>.</summary>
    public static string Hex(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{unixSeconds}."));
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>
    /// What a receiver does: the header parses, its time is within <paramref name="tolerance"/> of <paramref name="nowUnixSeconds"/>,
    /// and one of its v1 values equals the HMAC (compared in constant time).
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, long nowUnixSeconds, TimeSpan tolerance)
    {
        if (header is null) return false;
        long? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) return false;
            if (kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) t = parsed;
            else if (kv[0] == "v1") signatures.Add(kv[1]);
        }
        if (t is not { } ts || signatures.Count == 0) return false;
        if (Math.Abs(nowUnixSeconds - ts) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Hex(secret, ts, body));
        var match = false;
        foreach (var v1 in signatures) match |= CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(v1));
        return match;
    }
}
