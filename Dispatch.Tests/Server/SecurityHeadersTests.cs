using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dispatch.Server.Security;
using Dispatch.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.Tests.Server;

/// <summary>
/// Every answer carries the browser security headers: pages, their script files, API results, problem details and a
/// refused request alike. The test server speaks plain HTTP, so it also shows HSTS is left out there; a Kestrel with a
/// certificate shows it is sent over HTTPS.
/// </summary>
public sealed class SecurityHeadersTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    public static TheoryData<string, string?, HttpStatusCode> Answers => new()
    {
        // path, role (null: anonymous), status
        { "/", null, HttpStatusCode.OK },
        { "/board/", null, HttpStatusCode.OK },
        { "/runner/", null, HttpStatusCode.OK },
        { "/track/some-token", null, HttpStatusCode.OK },
        { "/track/track.js", null, HttpStatusCode.OK },
        { "/api/zones", null, HttpStatusCode.OK },
        { "/api/orders/00000000-0000-0000-0000-000000000001", "dispatcher", HttpStatusCode.NotFound },
        { "/api/orders/00000000-0000-0000-0000-000000000001", null, HttpStatusCode.Unauthorized },
        { "/api/orders/search?q=", "dispatcher", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Every_answer_carries_the_security_headers(string path, string? role, HttpStatusCode status)
    {
        server.RequireServices();
        using var response = role is null ? await server.Http.GetAsync(new Uri(path, UriKind.Relative)) : await server.CallAsync(HttpMethod.Get, path, role);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(SecurityHeaders.Policy("https:"), Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS only over HTTPS");
    }

    [Fact]
    public void The_policy_allows_no_inline_script_and_no_framing()
    {
        var policy = SecurityHeaders.Policy("https://tile.example.org");
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: https://tile.example.org;", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_https_the_answer_also_carries_hsts()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        builder.Services.AddOptions<SecurityHeadersOptions>();
        await using var app = builder.Build();
        app.UseMiddleware<SecurityHeaders>();
        app.MapGet("/", () => "ok");
        await app.StartAsync(TestContext.Current.CancellationToken);

        // Trust exactly the certificate made above.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c?.Thumbprint == certificate.Thumbprint };
        using var client = new HttpClient(handler);
        using var response = await client.GetAsync(new Uri(app.Urls.Single()), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"max-age={365 * 24 * 3600}", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }
}
