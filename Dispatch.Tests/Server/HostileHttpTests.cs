using System.Net.Http.Headers;
using System.Text.Json;
using Dispatch.Tests.Infrastructure;

namespace Dispatch.Tests.Server;

/// <summary>
/// The hostile battery over HTTP: every endpoint without a token, with an expired one and with the wrong role, and every
/// hostile input of <see cref="HostileInputs"/>: each gets its precise refusal (status, problem details naming the field,
/// no stack trace), and no stored row changes.
/// </summary>
public sealed class HostileHttpTests(HostileServer server) : IClassFixture<HostileServer>
{
    public static TheoryData<string> AuthCaseNames => [.. HostileInputs.AuthCases().Select(c => c.Name)];

    public static TheoryData<string> InputCaseNames => [.. HostileInputs.InputCases().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(AuthCaseNames))]
    public async Task A_caller_without_the_right_token_is_refused_and_nothing_changes(string name) =>
        await RefusedAsync(HostileInputs.AuthCases().Single(c => c.Name == name));

    [Theory]
    [MemberData(nameof(InputCaseNames))]
    public async Task Hostile_input_gets_a_precise_refusal_and_nothing_changes(string name) =>
        await RefusedAsync(HostileInputs.InputCases().Single(c => c.Name == name));

    [Fact]
    public async Task A_status_filter_is_a_list_of_statuses_not_their_sum()
    {
        server.RequireServices();
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));
        async Task<Guid[]> FoundAsync(string statuses)
        {
            using var response = await server.CallAsync(HttpMethod.Get, $"/api/orders/search?from={since}&status={statuses}", "dispatcher");
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, text);
            return [.. JsonSerializer.Deserialize<JsonElement>(text).EnumerateArray().Select(o => o.GetProperty("id").GetGuid())];
        }

        // Placed (0) and Paid (1) summed as flags would be Paid alone, and find none of the two unpaid orders.
        var both = await FoundAsync("Placed,Paid");
        Assert.Contains(server.Order.Id, both);
        Assert.Contains(server.OtherMerchantsOrder.Id, both);
        Assert.Empty(await FoundAsync("Offered,Accepted"));
    }

    private async Task RefusedAsync(HostileInputs.HttpCase c)
    {
        server.RequireServices();
        var before = await server.StoredStateAsync();
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), HostileInputs.Resolve(c.Path, server)) { Content = c.Body() };
        if (c.Role == "signed" && request.Content is not null)
        {
            var body = HostileInputs.Resolve(await request.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), server);
            request.Content = HostileInputs.Json(body);
            request.Content!.Headers.Add(Dispatch.Server.Payments.PaymentsCallback.SignatureHeader, HostileInputs.Sign(body, server.PaymentSecret));
        }
        var token = c.Role switch
        {
            "none" or "signed" => null,
            _ when c.Role.StartsWith("expired:", StringComparison.Ordinal) => server.ExpiredToken(c.Role["expired:".Length..], "hostile-1"),
            "merchant" => await server.MerchantTokenAsync("shop-1"),
            _ => await server.TokenAsync(c.Role, $"{c.Role}-1"),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (c.Method == "POST") request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        // A polite client waits for 100 Continue, so it reads the 413 instead of a reset while still sending megabytes.
        if (request.Content?.Headers.ContentLength > 1 << 20) request.Headers.ExpectContinue = true;

        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(c.Status == (int)response.StatusCode, $"{c.Name}: expected {c.Status}, got {(int)response.StatusCode}: {text}");
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.True(text.Length < 4096, $"{c.Name}: a refusal is short, never an echo of the input ({text.Length} characters)");
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        if (c.Field is not null)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonSerializer.Deserialize<JsonElement>(text);
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(c.Field, out _), $"{c.Name}: errors should name {c.Field}: {text}");
        }
        Assert.Equal(before, await server.StoredStateAsync());
    }
}
