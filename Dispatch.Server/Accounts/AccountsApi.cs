using System.Security.Claims;
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
        admin.MapPost("", async (AccountSpec spec, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            var outcome = await accounts.CreateOrResetAsync(spec, ct);
            if (!outcome.Ok) return outcome.Failure!.ToProblem();
            var saved = outcome.Value!;
            return saved.Created ? Results.Created($"/api/admin/accounts/{saved.Username}", saved) : Results.Ok(saved);
        });
        admin.MapPost("{username}/suspend", async (string username, ClaimsPrincipal user, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            var outcome = await accounts.SuspendAsync(username, user.FindFirstValue("sub") ?? "admin", ct);
            return outcome.Ok ? Results.Ok(new { username, revokedSessions = outcome.Value }) : outcome.Failure!.ToProblem();
        });
        admin.MapPost("{username}/reinstate", async (string username, ClaimsPrincipal user, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            var outcome = await accounts.ReinstateAsync(username, user.FindFirstValue("sub") ?? "admin", ct);
            return outcome.Ok ? Results.Ok(new { username }) : outcome.Failure!.ToProblem();
        });
        return app;
    }
}
