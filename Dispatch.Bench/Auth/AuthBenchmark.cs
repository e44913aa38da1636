using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dispatch.Core.Accounts;
using Dispatch.Server.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

using Dispatch.Server;
using Dispatch.Server.Accounts;

namespace Dispatch.Bench.Auth;

/// <summary>
/// <c>dotnet run --project Dispatch.Bench -c Release -- auth [iterations]</c>: the CPU each request spends proving who
/// sent it, on one thread, no I/O. Bearer: validating an access token as sign-in issues it, with the server's own
/// validation parameters and handler. Signed: what <see cref="SignedRequestHandler"/> computes for a 1 KB order body
/// (open the stored secret, hash the body, build the canonical string, HMAC, compare). The handler's key lookup (one
/// PostgreSQL primary-key read) and nonce SET NX (one Redis round trip) are I/O and not in these numbers.
/// </summary>
public static class AuthBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 200_000;
        // Nothing connects: the connection strings only have to be there for the composition to build.
        var app = ServerComposition.Build(ServerArgs.Development(), b =>
        {
            b.Logging.ClearProviders();
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = b.Configuration.GetConnectionString("Postgres") ?? "Host=127.0.0.1",
                ["ConnectionStrings:Redis"] = b.Configuration.GetConnectionString("Redis") ?? "127.0.0.1",
            });
        });
        var services = app.Services;
        var jwt = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = jwt.TokenValidationParameters;
        var handler = jwt.TokenHandlers.OfType<JsonWebTokenHandler>().FirstOrDefault() ?? new JsonWebTokenHandler { MapInboundClaims = false };
        var token = services.GetRequiredService<TokenIssuer>().Issue("dina", Roles.Dispatcher, "Dina", TimeSpan.FromMinutes(10),
            [new Claim(AccountClaims.AccountId, Guid.NewGuid().ToString()), new Claim(AccountClaims.Zones, "monaco")]);

        var protector = new EphemeralDataProtectionProvider().CreateProtector(MerchantKeys.Purpose);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var stored = protector.Protect(secret);
        var body = Encoding.UTF8.GetBytes(new string('x', 1024));
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        const long timestamp = 1796562000;
        var signature = RequestSigning.Sign(secret, RequestSigning.CanonicalString("POST", "/api/orders", timestamp, nonce, RequestSigning.BodyHash(body)));

        async Task<bool> Bearer() => (await handler.ValidateTokenAsync(token, parameters)).IsValid;
        Task<bool> Signed()
        {
            var key = Encoding.ASCII.GetBytes(protector.Unprotect(stored));
            var canonical = RequestSigning.CanonicalString("POST", "/api/orders", timestamp, nonce, RequestSigning.BodyHash(body));
            return Task.FromResult(RequestSigning.Verify(key, canonical, signature));
        }

        Console.WriteLine($"[bench-auth] {iterations:N0} iterations each, one thread, after a warm-up of {iterations / 10:N0}");
        await MeasureAsync("bearer token validation (JWT, HS256)", Bearer, iterations);
        await MeasureAsync("signed request check (1 KB body, no I/O)", Signed, iterations);
        await MeasureAsync("  of which opening the stored secret", () => Task.FromResult(protector.Unprotect(stored).Length == secret.Length), iterations);
        await app.DisposeAsync();
        return 0;
    }

    private static async Task MeasureAsync(string what, Func<Task<bool>> once, int iterations)
    {
        for (var i = 0; i < iterations / 10; i++)
        {
            if (!await once()) throw new InvalidOperationException($"{what}: refused during the warm-up");
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) await once();
        watch.Stop();
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / iterations;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[bench-auth] {what,-42} {watch.Elapsed.TotalNanoseconds / iterations,8:N0} ns/request  {bytes,6:N0} B allocated/request"));
    }
}
