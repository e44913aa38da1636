using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dispatch.Server.Auth;
using Dispatch.Server.Orders;
using Dispatch.Server.Payments;
using Dispatch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// In Production an unreadable request gets the same precise refusal as in Development (the battery runs there): a problem
/// naming the field, never a bare 400 or a 500. The payment callback is the endpoint a stranger can reach without a token.
/// </summary>
public sealed class ProductionRefusalTests(ProductionServer server) : IClassFixture<ProductionServer>
{
    [Theory]
    [InlineData("""{"orderId":""", 400, "orderId")]
    [InlineData("""{"orderId":"not an id","status":"paid"}""", 400, "orderId")]
    [InlineData("""{"orderId":"0193a1b2-0000-7000-8000-000000000000","status":"paid","amount":1e308}""", 400, "amount")]
    [InlineData("[]", 400, "body")]
    public async Task A_signed_but_unreadable_callback_is_a_problem_naming_the_field(string body, int status, string field)
    {
        server.RequireServices();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.Add(PaymentsCallback.SignatureHeader, PaymentsCallback.Sign(Encoding.UTF8.GetBytes(body), server.PaymentSecret));
        using var response = await server.Http.PostAsync("/api/payments/callback", content, TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, status, field);
    }

    [Fact]
    public async Task A_40_MB_callback_is_413_before_it_is_read()
    {
        server.RequireServices();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/callback") { Content = new ByteArrayContent(new byte[40 << 20]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.ExpectContinue = true;
        // The client sends the body anyway when no answer comes within Expect100ContinueTimeout (1 s by default): on a loaded
        // machine the 413 can take longer, and the client then meets a closed socket instead of the answer.
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = server.Http.BaseAddress };
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, 413, "body");
    }

    [Theory]
    [InlineData("""{"kind":""", 400, "kind")]
    [InlineData("""{"kind":1}""", 400, "kind")]
    [InlineData("""{"kind":"errand","pickup":{"lat":"NaN","lon":7.4}}""", 400, "pickup.lat")]
    [InlineData("""{"kind":"errand","promisedAt":"tomorrow"}""", 400, "promisedAt")]
    [InlineData("[]", 400, "body")]
    public async Task Unreadable_order_json_is_a_problem_naming_the_field(string body, int status, string field)
    {
        server.RequireServices();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.Services.GetRequiredService<TokenIssuer>().Issue("shop-prod", "merchant"));
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, status, field);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string field)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"errors should name {field}: {text}");
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }
}
