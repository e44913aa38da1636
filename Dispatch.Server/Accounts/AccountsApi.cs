using Dispatch.Server.Audit;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Dispatch.Server.Accounts;

/// <summary>
/// Admins list, create or reset accounts, suspend and reinstate them (by username or id), change a
/// dispatcher's zones: /api/admin/accounts; and list merchant organisations: /api/admin/organisations.
/// </summary>
internal static class AccountsApi
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
        admin.MapGet("", async (string? q, string? role, string? after, int? limit, AccountDirectory directory, CancellationToken ct) =>
        {
            var page = await directory.AccountsAsync(q, role, after, limit, ct);
            return page.Ok ? Results.Ok(page.Value) : page.Failure!.ToProblem();
        });
        // By id: the console's lists carry ids, which stay right even if a username is reused after a reset.
        admin.MapPost("by-id/{id:guid}/suspend", async (Guid id, HttpContext http, AccountDirectory directory, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            if (await directory.UsernameAsync(id, ct) is not { } username) return Failure.NotFound($"No account has id {id}.").ToProblem();
            var outcome = await accounts.SuspendAsync(username, AuditActor.Of(http), ct);
            return outcome.Ok ? Suspended(http, outcome.Value!, new { id, username, revokedSessions = outcome.Value!.RevokedSessions }) : outcome.Failure!.ToProblem();
        });
        admin.MapPost("by-id/{id:guid}/reinstate", async (Guid id, HttpContext http, AccountDirectory directory, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            if (await directory.UsernameAsync(id, ct) is not { } username) return Failure.NotFound($"No account has id {id}.").ToProblem();
            var outcome = await accounts.ReinstateAsync(username, AuditActor.Of(http), ct);
            return outcome.Ok ? Results.Ok(new { id, username }) : outcome.Failure!.ToProblem();
        });
        // Only the zones: the password and sessions stay, and the dispatcher's next refresh carries the new zones.
        admin.MapPut("by-id/{id:guid}/zones", async (Guid id, AccountZones body, HttpContext http, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            var outcome = await accounts.SetZonesAsync(id, body.Zones, AuditActor.Of(http), ct);
            return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
        });
        admin.MapPost("{username}/suspend", async (string username, HttpContext http, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            var outcome = await accounts.SuspendAsync(username, AuditActor.Of(http), ct);
            return outcome.Ok ? Suspended(http, outcome.Value!, new { username, revokedSessions = outcome.Value!.RevokedSessions }) : outcome.Failure!.ToProblem();
        });
        admin.MapPost("{username}/reinstate", async (string username, HttpContext http, AccountsCoordinator accounts, CancellationToken ct) =>
        {
            var outcome = await accounts.ReinstateAsync(username, AuditActor.Of(http), ct);
            return outcome.Ok ? Results.Ok(new { username }) : outcome.Failure!.ToProblem();
        });
        app.MapGet("/api/admin/organisations", async (string? q, string? after, int? limit, AccountDirectory directory, CancellationToken ct) =>
        {
            var page = await directory.OrganisationsAsync(q, after, limit, ct);
            return page.Ok ? Results.Ok(page.Value) : page.Failure!.ToProblem();
        }).RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Admin));
        return app;
    }

    // The suspension holds either way (a 200); the header says a courier's connections close only once Redis is back.
    private static IResult Suspended(HttpContext http, AccountSuspension suspension, object body)
    {
        if (suspension.EvictionDeferred) http.Response.Headers[Couriers.CourierConnections.EvictionHeader] = "deferred";
        return Results.Ok(body);
    }
}
