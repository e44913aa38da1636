using System.Net;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Password guesses from one address are rate limited across accounts (lockout only counts per account).</summary>
public sealed class SignInRateLimitTests(SignInLimitServer server) : IClassFixture<SignInLimitServer>
{
    [Fact]
    public async Task One_address_guessing_across_accounts_is_refused_with_429_and_Retry_After()
    {
        server.RequireServices();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await server.SignInAsync($"spray-{i}", "Summer2026!")).StatusCode);
        var limited = await server.SignInAsync("spray-4", "Summer2026!");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
    }
}
