using Dispatch.Server.Audit;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Dispatch.Server.Accounts;

/// <summary>Admins create or reset accounts, suspend and reinstate them: /api/admin/accounts.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        // A signed merchant request never manages accounts: only a signed-in admin's bearer token.
        var admin = app.MapGroup("/api/admin/accounts")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Admin));
        admin.MapPost("", async (AccountSpec spec, HttpContext http, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            var outcome = await accounts.CreateOrResetAsync(spec, AuditActor.Of(http), ct);
            if (!outcome.Ok) return outcome.Failure!.ToProblem();
            var saved = outcome.Value!;
            return saved.Created ? Results.Created($"/api/admin/accounts/{saved.Username}", saved) : Results.Ok(saved);
        });
        admin.MapPost("{username}/suspend", async (string username, HttpContext http, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            var outcome = await accounts.SuspendAsync(username, AuditActor.Of(http), ct);
            return outcome.Ok ? Results.Ok(new { username, revokedSessions = outcome.Value }) : outcome.Failure!.ToProblem();
        });
        admin.MapPost("{username}/reinstate", async (string username, HttpContext http, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            var outcome = await accounts.ReinstateAsync(username, AuditActor.Of(http), ct);
            return outcome.Ok ? Results.Ok(new { username }) : outcome.Failure!.ToProblem();
        });
        return app;
    }
}
