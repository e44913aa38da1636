using System.Text;
using Dispatch.Core.Webhooks;

namespace Dispatch.Tests.Core;

/// <summary>Webhook signatures (against a vector made with openssl, the one in docs/webhooks.md), retry delays and URL rules.</summary>
public sealed class WebhookRulesTests
{
    // docs/webhooks.md's worked example: printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
    private const string Secret = "Yq3P0rX6m2Vt8sWk1fJd4nLh7cBz9gQe5uAi0oRy2Tw";
    private const long T = 1796558400; // 2026-12-06T12:00:00Z
    private const string Body = """{"id":"01938a2e-7c4b-7d2e-9f1a-3b5c6d7e8f90","type":"order.status","createdAt":"2026-12-06T12:00:00+00:00","data":{"orderId":"5f0c2a9e-1b7d-4c3e-8a6f-2d4b9e1c7a30","number":"D-004242","status":"pickedUp","previousStatus":"arrivedAtPickup","at":"2026-12-06T12:00:00+00:00","courierAssigned":true}}""";
    private const string OpensslHex = "d63aad77b58907e203f373d53f8c40d289feafd6b4e3ad7678bc6570e2850fad";

    [Fact]
    public void The_signature_is_the_hmac_of_time_dot_body_keyed_with_the_secret_text()
    {
        Assert.Equal($"t={T},v1={OpensslHex}", WebhookSignature.Sign(Secret, T, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void Verification_refuses_another_body_secret_time_or_an_old_timestamp()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        var header = $"t={T},v1={OpensslHex}";
        var fiveMinutes = TimeSpan.FromMinutes(5);
        Assert.True(WebhookSignature.Verify(Secret, header, body, T + 299, fiveMinutes));
        Assert.False(WebhookSignature.Verify(Secret, header, body, T + 301, fiveMinutes)); // replayed too late
        Assert.False(WebhookSignature.Verify(Secret + "x", header, body, T, fiveMinutes));
        Assert.False(WebhookSignature.Verify(Secret, header, Encoding.UTF8.GetBytes(Body.Replace("pickedUp", "delivered", StringComparison.Ordinal)), T, fiveMinutes));
        Assert.False(WebhookSignature.Verify(Secret, $"t={T + 1},v1={OpensslHex}", body, T, fiveMinutes)); // the time is signed too
        Assert.False(WebhookSignature.Verify(Secret, "v1=" + OpensslHex, body, T, fiveMinutes));
        Assert.False(WebhookSignature.Verify(Secret, null, body, T, fiveMinutes));
    }

    [Fact]
    public void During_a_rotation_the_header_carries_one_v1_per_secret_and_either_secret_verifies()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        const string newer = "new-secret-after-rotation";
        var header = WebhookSignature.Sign([newer, Secret], T, body);
        Assert.Equal($"t={T},v1={WebhookSignature.Hex(newer, T, body)},v1={OpensslHex}", header);
        var fiveMinutes = TimeSpan.FromMinutes(5);
        Assert.True(WebhookSignature.Verify(Secret, header, body, T, fiveMinutes)); // a receiver still on the old secret
        Assert.True(WebhookSignature.Verify(newer, header, body, T, fiveMinutes)); // one already on the new
        Assert.False(WebhookSignature.Verify("neither", header, body, T, fiveMinutes));
        Assert.Equal(WebhookSignature.Sign(newer, T, body), WebhookSignature.Sign([newer], T, body));
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(6, 3_200)]
    [InlineData(7, 5_000)] // capped
    [InlineData(60, 5_000)]
    public void The_delay_bound_doubles_per_attempt_up_to_the_cap(int attempts, int boundMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(boundMs), WebhookRetry.CappedDelay(attempts, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void The_delay_is_drawn_from_zero_to_the_bound_and_the_last_attempt_is_dead()
    {
        var first = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromMinutes(10);
        Assert.Equal(TimeSpan.Zero, WebhookRetry.NextDelay(3, first, max, 5, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(2), WebhookRetry.NextDelay(3, first, max, 5, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(3.6), WebhookRetry.NextDelay(3, first, max, 5, 0.9));
        Assert.NotNull(WebhookRetry.NextDelay(4, first, max, 5, 0.5));
        Assert.Null(WebhookRetry.NextDelay(5, first, max, 5, 0.5));
        Assert.Null(WebhookRetry.NextDelay(1, first, max, 1, 0.5));
    }

    [Theory]
    [InlineData("https://shop.example/hooks", false, true)]
    [InlineData("https://shop.example/hooks", true, true)]
    [InlineData("https://shop.example:8443/hooks?tag=a", true, true)]
    [InlineData("http://127.0.0.1:5055/hooks", false, true)]
    [InlineData("http://localhost/hooks", false, true)]
    [InlineData("http://127.0.0.1:5055/hooks", true, false)] // production: https only
    [InlineData("http://shop.example/hooks", false, false)]
    [InlineData("ftp://shop.example/hooks", false, false)]
    [InlineData("/hooks", false, false)]
    [InlineData("shop.example/hooks", false, false)]
    [InlineData("https://user:secret@shop.example/hooks", false, false)]
    [InlineData("https://shop.example/hooks#x", false, false)]
    [InlineData("", false, false)]
    [InlineData(null, false, false)]
    public void Only_absolute_https_urls_or_local_http_outside_production_are_allowed(string? url, bool production, bool allowed)
    {
        Assert.Equal(allowed, WebhookUrlRules.Check(url, production) is null);
    }

    [Fact]
    public void Event_types_must_be_known()
    {
        Assert.Null(WebhookEventTypes.Check(["order.status", "order.arriving"]));
        Assert.Contains("order.eaten", WebhookEventTypes.Check(["order.status", "order.eaten"]), StringComparison.Ordinal);
        Assert.NotNull(WebhookEventTypes.Check([]));
        Assert.NotNull(WebhookEventTypes.Check(null));
        Assert.NotNull(WebhookEventTypes.Check([null]));
        Assert.Equal(Dispatch.Server.Outbox.OutboxKinds.OrderStatus, WebhookEventTypes.OrderStatus);
        Assert.Equal(Dispatch.Server.Outbox.OutboxKinds.OrderArriving, WebhookEventTypes.OrderArriving);
    }
}
