using System.Security.Claims;
using Dispatch.Server.Audit;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Dispatch.Server.Accounts;

/// <summary>
/// A merchant's users (or an admin, naming the organisation) create, list and revoke API keys: /api/merchant/keys.
/// Bearer tokens only: a key cannot mint or revoke keys, so a leaked one stays one revocation away.
/// </summary>
internal static class MerchantKeysApi
{
    public sealed record CreateKeyRequest(string? Name, string? Organisation);

    public static IEndpointRouteBuilder MapMerchantKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/merchant/keys")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Merchant, Roles.Admin));
        keys.MapPost("", async (CreateKeyRequest request, ClaimsPrincipal user, HttpContext http, MerchantKeys merchantKeys, CancellationToken ct) =>
        {
            var organisation = Organisation(user, request.Organisation, out var failure);
            if (failure is not null) return failure.ToProblem();
            var outcome = await merchantKeys.CreateAsync(organisation!, request.Name, Actor(user), AuditActor.Of(http), ct);
            return outcome.Ok ? Results.Created($"/api/merchant/keys/{outcome.Value!.KeyId}", outcome.Value) : outcome.Failure!.ToProblem();
        });
        keys.MapGet("", async (string? organisation, ClaimsPrincipal user, MerchantKeys merchantKeys, CancellationToken ct) =>
            Results.Ok(await merchantKeys.ListAsync(user.IsInRole(Roles.Admin) ? organisation : user.FindFirstValue("sub"), ct)));
        keys.MapDelete("{keyId}", async (string keyId, ClaimsPrincipal user, HttpContext http, MerchantKeys merchantKeys, CancellationToken ct) =>
        {
            var outcome = await merchantKeys.RevokeAsync(keyId, user.IsInRole(Roles.Admin) ? null : user.FindFirstValue("sub"), Actor(user), AuditActor.Of(http), ct);
            return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
        });
        return app;
    }

    /// <summary>A merchant's own organisation (naming another is refused); an admin must name one.</summary>
    private static string? Organisation(ClaimsPrincipal user, string? requested, out Failure? failure)
    {
        failure = null;
        if (user.IsInRole(Roles.Admin))
        {
            if (string.IsNullOrWhiteSpace(requested) || requested.Length > 64 || !requested.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                failure = Failure.BadRequest("organisation", "An admin names the merchant organisation the key is for (1–64 letters, digits, '-', '_' or '.').");
            return requested;
        }
        var own = user.FindFirstValue("sub")!;
        if (requested is not null && requested != own) failure = Failure.Forbidden($"You may create keys for {own} only.");
        return own;
    }

    // The account that acted (an organisation has several users); the subject for a development token, which has no account.
    private static string Actor(ClaimsPrincipal user) => user.FindFirstValue(AccountClaims.AccountId) ?? user.FindFirstValue("sub") ?? "?";
}
