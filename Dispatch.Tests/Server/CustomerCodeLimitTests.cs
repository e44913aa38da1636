using System.Net;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Sign-in codes are limited per number (stored counts, across nodes) and per client address (the rate limiter).</summary>
public sealed class CustomerCodeLimitTests(CustomerCodeLimitServer server) : IClassFixture<CustomerCodeLimitServer>
{
    [Fact]
    public async Task Codes_are_limited_per_number_and_per_address()
    {
        server.RequireServices();
        // 2 codes per number: the third to one number is refused, with the number's own reason.
        Assert.Equal(HttpStatusCode.Accepted, (await server.AskCodeAsync("+33 6 99 00 00 01")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await server.AskCodeAsync("+33 6 99 00 00 01")).StatusCode);
        var third = await server.AskCodeAsync("+33 6 99 00 00 01");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("Too many codes", (await third.ProblemAsync()).Title());
        Assert.Equal(2, await server.ScalarAsync("select count(*) from customer_sign_in_codes"));

        // 6 requests a minute per address: three more numbers pass, the seventh request from this address does not.
        for (var i = 2; i <= 4; i++) Assert.Equal(HttpStatusCode.Accepted, (await server.AskCodeAsync($"+33 6 99 00 00 0{i}")).StatusCode);
        var flooded = await server.AskCodeAsync("+33 6 99 00 00 05");
        Assert.Equal(HttpStatusCode.TooManyRequests, flooded.StatusCode);
        Assert.Equal("Too many requests", (await flooded.ProblemAsync()).Title());
        Assert.True(flooded.Headers.RetryAfter is not null);
        Assert.Equal(5, await server.ScalarAsync("select count(*) from customer_sign_in_codes"));
    }
}
