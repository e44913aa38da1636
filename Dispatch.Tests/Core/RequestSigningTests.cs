using System.Text;
using Dispatch.Core.Accounts;

namespace Dispatch.Tests.Core;

/// <summary>The signing rules, pinned to the worked example of docs/merchant-api-keys.md (checked there with openssl).</summary>
public sealed class RequestSigningTests
{
    private const string Secret = "5f2b1c9e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c";
    private const string Body = """{"kind":"errand","pickup":{"lat":43.7396,"lon":7.4276,"address":"Place du Casino"},"dropoff":{"lat":43.7309,"lon":7.4197,"address":"Quai Jean-Charles Rey"},"customerName":"Claire Martin","customerPhone":"+377 6 12 34 55 70","items":["2 x sorbet"],"promisedAt":"2026-12-06T13:00:00Z"}""";
    private const string Signature = "b3f01218edca41be7e05b05a882e25096e5825a89091a55158f666637b20f663";

    [Fact]
    public void The_worked_example_of_the_docs_signs_to_the_documented_signature()
    {
        var bodyHash = RequestSigning.BodyHash(Encoding.UTF8.GetBytes(Body));
        Assert.Equal("f690783707af478412f9e3d233561d78f4a51c360d18feabbda2454478285084", bodyHash);
        var canonical = RequestSigning.CanonicalString("post", "/api/orders", 1796562000, "3f9a1c0e7b2d4a68", bodyHash);
        Assert.Equal("DISPATCH-HMAC-SHA256\nPOST\n/api/orders\n1796562000\n3f9a1c0e7b2d4a68\n" + bodyHash, canonical);
        Assert.Equal(Signature, RequestSigning.Sign(Secret, canonical));
        Assert.True(RequestSigning.Verify(Encoding.ASCII.GetBytes(Secret), canonical, Signature));
        Assert.True(RequestSigning.Verify(Encoding.ASCII.GetBytes(Secret), canonical, Signature.ToUpperInvariant()));
        Assert.False(RequestSigning.Verify(Encoding.ASCII.GetBytes(Secret), canonical.Replace("/api/orders", "/api/orders?x=1", StringComparison.Ordinal), Signature));
        Assert.False(RequestSigning.Verify(Encoding.ASCII.GetBytes(Secret), canonical, Signature[..^2]));
        Assert.False(RequestSigning.Verify(Encoding.ASCII.GetBytes(Secret), canonical, "zz" + Signature[2..]));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(300, true)]
    [InlineData(-300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    public void A_timestamp_is_fresh_within_five_minutes_either_way(int secondsOld, bool fresh)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1796562000);
        var header = (1796562000 - secondsOld).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(fresh, RequestSigning.CheckTimestamp(header, now, out _) is null);
    }

    [Theory]
    [InlineData("1796562000.5")]
    [InlineData("-1796562000")]
    [InlineData("")]
    [InlineData(null)]
    public void A_timestamp_that_is_not_whole_seconds_is_refused_with_the_format(string? header) =>
        Assert.Contains("whole seconds", RequestSigning.CheckTimestamp(header, DateTimeOffset.UnixEpoch, out _), StringComparison.Ordinal);

    [Theory]
    [InlineData(false, false, false, 1, RefreshVerdict.Rotate)]
    [InlineData(true, false, false, 1, RefreshVerdict.Reused)]
    [InlineData(true, true, false, 1, RefreshVerdict.Revoked)]
    [InlineData(false, true, false, 1, RefreshVerdict.Revoked)]
    [InlineData(false, false, true, 1, RefreshVerdict.Suspended)]
    [InlineData(false, false, false, -1, RefreshVerdict.Expired)]
    public void A_refresh_token_rotates_only_when_unspent_unrevoked_unexpired_and_the_account_active(bool spent, bool revoked, bool suspended, int hoursLeft, RefreshVerdict verdict)
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(50);
        Assert.Equal(verdict, RefreshRules.Judge(spent, revoked, suspended, now.AddHours(hoursLeft), now));
    }
}
