using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Dispatch.Server.Auth;

/// <summary>
/// Wires who a caller is: the token issuer and its options, signed tracking links, and how a JWT bearer is validated for
/// APIs and hubs (hubs read it from <c>access_token</c> on the query string). The authentication schemes themselves are
/// added where the merchants' signed requests join them (<c>Accounts</c>).
/// </summary>
internal static class AuthComposition
{
    public static IServiceCollection AddAuth(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AuthOptions>().Bind(config.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TrackingLinks>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((jwt, auth) =>
        {
            var a = auth.Value;
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = a.Issuer,
                ValidAudience = a.Issuer,
                IssuerSigningKey = TokenIssuer.SigningKey(a),
                NameClaimType = "sub",
                RoleClaimType = "role",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            jwt.Events = new JwtBearerEvents
            {
                OnMessageReceived = ctx =>
                {
                    var token = ctx.Request.Query["access_token"];
                    if (!string.IsNullOrEmpty(token) && ctx.HttpContext.Request.Path.StartsWithSegments("/hubs")) ctx.Token = token;
                    return Task.CompletedTask;
                },
                // Hub connections close at the token's expiry (CloseOnAuthenticationExpiration); without this the clock skew
                // would let the expired token reconnect for another 30 s, each connection closed again within a second. A
                // suspended account's token, still unexpired, opens no new connection, and an API answers it 401 (from memory).
                OnTokenValidated = async ctx =>
                {
                    if (ctx.Principal is not { } validated) return;
                    var services = ctx.HttpContext.RequestServices;
                    if (!ctx.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                    {
                        if (services.GetRequiredService<SuspendedAccountIds>().Names(validated)) ctx.Fail(new AccountSuspendedException());
                        return;
                    }
                    if (ctx.SecurityToken.ValidTo <= services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime)
                        ctx.Fail("The token has expired; sign in again for a fresh one.");
                    else if (await SuspendedAccounts.IsSuspendedAsync(services.GetRequiredService<NpgsqlDataSource>(), validated, ctx.HttpContext.RequestAborted))
                        ctx.Fail("This account was suspended by an admin.");
                    else
                        ctx.Principal = HubPrincipal.Slim(validated); // kept for the connection's life: without the parsed token
                },
                // The suspension's refusal says why, as problem details; other failures keep the default challenge.
                OnChallenge = async ctx =>
                {
                    if (ctx.AuthenticateFailure is not AccountSuspendedException suspended) return;
                    ctx.HandleResponse();
                    ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    ctx.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"account suspended\"";
                    await Results.Problem(title: "Account suspended", detail: suspended.Message, statusCode: StatusCodes.Status401Unauthorized)
                        .ExecuteAsync(ctx.HttpContext);
                },
            };
        });
        services.AddSingleton<SuspendedAccountIds>();
        services.AddAuthorization();
        return services;
    }
}
