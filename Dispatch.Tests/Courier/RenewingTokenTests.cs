extern alias CourierApp;

using CourierApp::Dispatch.Courier.Client;
using Dispatch.Server.Auth;
using Microsoft.Extensions.Options;

namespace Dispatch.Tests.Courier;

/// <summary>The simulator's tokens are renewed shortly before they expire, and only then.</summary>
public sealed class RenewingTokenTests
{
    private static readonly TokenIssuer Issuer = new(Options.Create(new AuthOptions { SigningKey = new string('k', 32), LinkSigningKey = new string('l', 32) }), TimeProvider.System);

    [Fact]
    public async Task A_token_far_from_expiry_is_kept_and_one_about_to_expire_is_renewed_once()
    {
        var renewals = 0;
        var longLived = Issuer.Issue("c-1", Roles.Courier, lifetime: TimeSpan.FromHours(1));
        var kept = new RenewingToken(longLived, _ => Task.FromResult($"renewed-{Interlocked.Increment(ref renewals)}"), TimeProvider.System);
        Assert.Equal(longLived, await kept.GetAsync());

        var expiring = Issuer.Issue("c-1", Roles.Courier, lifetime: TimeSpan.FromMinutes(2));
        var renewed = new RenewingToken(expiring, _ => Task.FromResult($"renewed-{Interlocked.Increment(ref renewals)}"), TimeProvider.System);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => renewed.GetAsync()));
        Assert.All(answers, a => Assert.Equal("renewed-1", a));
        Assert.Equal(1, renewals);
        Assert.Equal("c-1", RenewingToken.Subject(expiring));
        Assert.InRange(RenewingToken.ExpiresAt(expiring)!.Value, DateTimeOffset.UtcNow.AddSeconds(100), DateTimeOffset.UtcNow.AddSeconds(121));
    }
}
