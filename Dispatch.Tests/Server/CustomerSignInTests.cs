using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>Customers sign in with a one-time code sent to their phone and get a short-lived, refreshable customer token.</summary>
public sealed class CustomerSignInTests(CustomerServer server) : IClassFixture<CustomerServer>
{
    [Fact]
    public async Task A_code_sent_to_the_phone_signs_the_customer_in_once()
    {
        server.RequireServices();
        const string phone = "+33 6 11 22 33 01";
        Assert.Equal(HttpStatusCode.Accepted, (await server.AskCodeAsync(phone)).StatusCode);
        var code = server.LastCode(phone);
        Assert.Equal(6, code.Length);

        var wrong = await server.CodeSignInAsync(phone, code == "000000" ? "111111" : "000000");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("wrong", (await wrong.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var signedIn = await server.CodeSignInAsync(phone, code);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var session = await signedIn.Content.ReadFromJsonAsync<JsonElement>(DispatchServer.Json);
        Assert.Equal("customer", session.GetProperty("role").GetString());
        var jwt = Accounts.Jwt(session.GetProperty("accessToken").GetString()!);
        Assert.True(jwt.ValidTo - DateTime.UtcNow < TimeSpan.FromMinutes(15), "the customer token is short-lived");
        Assert.Equal("customer", jwt.Claims.Single(c => c.Type == "role").Value);

        // The refresh machinery of accounts serves customers too.
        var refreshed = await server.RefreshAsync(session.GetProperty("refreshToken").GetString()!);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);

        var again = await server.CodeSignInAsync(phone, code);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains("already used", (await again.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Stored hashed and encrypted: neither the code nor the number is in the tables as text.
        Assert.Equal(0, await server.ScalarAsync("select count(*) from customer_sign_in_codes where encode(code_hash, 'escape') like '%' || $1 || '%'", code));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from customers where phone_enc like '%611223301%'"));
        Assert.Equal(1, await server.ScalarAsync("select count(*) from customers where id = $1", Guid.Parse(jwt.Claims.Single(c => c.Type == "uid").Value)));
    }

    [Fact]
    public async Task The_same_phone_signs_in_as_the_same_customer()
    {
        server.RequireServices();
        const string phone = "+33 6 11 22 33 02";
        var first = Accounts.Jwt(await server.CustomerTokenAsync(phone));
        var second = Accounts.Jwt(await server.CustomerTokenAsync("0611223302")); // the national form of the same number
        Assert.Equal(first.Claims.Single(c => c.Type == "uid").Value, second.Claims.Single(c => c.Type == "uid").Value);
        Assert.Equal(first.Subject, second.Subject);
    }

    [Fact]
    public async Task Too_many_wrong_codes_spend_the_code()
    {
        server.RequireServices();
        const string phone = "+33 6 11 22 33 03";
        await server.AskCodeAsync(phone);
        var code = server.LastCode(phone);
        var other = code == "123456" ? "654321" : "123456";
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await server.CodeSignInAsync(phone, other)).StatusCode);
        var late = await server.CodeSignInAsync(phone, code);
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Contains("Too many wrong codes", (await late.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        server.RequireServices();
        const string phone = "+33 6 11 22 33 04";
        await server.AskCodeAsync(phone);
        var code = server.LastCode(phone);
        await server.ScalarAsync("update customer_sign_in_codes set expires_at = now() - interval '1 second' where created_at = (select max(created_at) from customer_sign_in_codes)");
        var response = await server.CodeSignInAsync(phone, code);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"phone\":\"not a phone\"}", "phone")]
    [InlineData("{}", "phone")]
    public async Task A_bad_number_is_a_problem_naming_the_field(string body, string field)
    {
        server.RequireServices();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await server.Http.PostAsync("/api/customers/codes", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_customer_token_opens_no_merchant_or_staff_api()
    {
        server.RequireServices();
        var token = await server.CustomerTokenAsync("+33 6 11 22 33 05");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.AsCustomerAsync(token, HttpMethod.Post, "/api/orders", DispatchServer.OrderBody())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.AsCustomerAsync(token, HttpMethod.Get, $"/api/orders/{Guid.NewGuid()}")).StatusCode);
    }
}
