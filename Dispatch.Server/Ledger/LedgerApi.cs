using System.Security.Claims;
using Dispatch.Core.Contracts;
using Dispatch.Server.Audit;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Dispatch.Server.Ledger;

/// <summary>
/// The courier's money at /api/couriers/me (earnings, withdrawals) and the admin's at /api/admin (a courier's ledger,
/// adjustments, withdrawal decisions, the platform's totals).
/// </summary>
internal static class LedgerApi
{
    public static IEndpointRouteBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        var courier = app.MapGroup("/api/couriers/me")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Courier));
        courier.MapGet("earnings", async (DateOnly? from, DateOnly? to, ClaimsPrincipal user, CourierEarningsQuery earnings, CancellationToken ct) =>
        {
            if (CourierOf(user) is not { } id) return NotACourier();
            var outcome = await earnings.ForCourierAsync(id, from, to, ct);
            return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
        });
        courier.MapGet("withdrawals", async (ClaimsPrincipal user, WithdrawalCoordinator withdrawals, CancellationToken ct) =>
            CourierOf(user) is { } id ? Results.Ok(await withdrawals.ListAsync(id, null, WithdrawalCoordinator.MaxList, ct)) : NotACourier());
        courier.MapPost("withdrawals", async (WithdrawalRequest? request, ClaimsPrincipal user, WithdrawalCoordinator withdrawals, CancellationToken ct) =>
        {
            if (CourierOf(user) is not { } id) return NotACourier();
            var outcome = await withdrawals.RequestAsync(id, request, ct);
            return outcome.Ok ? Results.Created($"/api/couriers/me/withdrawals", outcome.Value) : outcome.Failure!.ToProblem();
        }).WithBodyLimit(BodyLimits.Default);

        var admin = app.MapGroup("/api/admin")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Admin));
        admin.MapGet("couriers/{courierId:guid}/ledger", async (Guid courierId, int? limit, LedgerReads reads, CancellationToken ct) =>
            limit is < 1 or > LedgerReads.MaxLines
                ? Failure.BadRequest("limit", $"limit must be 1..{LedgerReads.MaxLines}.").ToProblem()
                : Results.Ok(await reads.CourierLedgerAsync(courierId, limit ?? 200, ct)));
        admin.MapPost("couriers/{courierId:guid}/adjustments", async (Guid courierId, AdjustmentRequest? request, HttpContext http, AdjustmentCoordinator adjustments,
            CancellationToken ct) =>
        {
            var outcome = await adjustments.AdjustAsync(courierId, request, http.Request.Headers["Idempotency-Key"].FirstOrDefault(), AuditActor.Of(http), ct);
            if (!outcome.Ok) return outcome.Failure!.ToProblem();
            return outcome.Value!.Replayed ? Results.Ok(outcome.Value) : Results.Created($"/api/admin/couriers/{courierId}/ledger", outcome.Value);
        }).WithBodyLimit(BodyLimits.Default);
        admin.MapGet("withdrawals", async (string? state, int? limit, WithdrawalCoordinator withdrawals, CancellationToken ct) =>
        {
            WithdrawalState? wanted = null;
            if (!string.IsNullOrEmpty(state))
            {
                if (!char.IsAsciiLetter(state[0]) || !Enum.TryParse<WithdrawalState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                    return Failure.BadRequest("state", "state must be requested, approved or rejected (or left out for all).").ToProblem();
                wanted = parsed;
            }
            if (limit is < 1 or > WithdrawalCoordinator.MaxList) return Failure.BadRequest("limit", $"limit must be 1..{WithdrawalCoordinator.MaxList}.").ToProblem();
            return Results.Ok(await withdrawals.ListAsync(null, wanted, limit ?? 50, ct));
        });
        admin.MapPost("withdrawals/{withdrawalId:guid}/approve", async (Guid withdrawalId, WithdrawalDecision? decision, HttpContext http,
            WithdrawalCoordinator withdrawals, CancellationToken ct) =>
            Answer(await withdrawals.ApproveAsync(withdrawalId, decision, AuditActor.Of(http), ct))).WithBodyLimit(BodyLimits.Default);
        admin.MapPost("withdrawals/{withdrawalId:guid}/reject", async (Guid withdrawalId, WithdrawalDecision? decision, HttpContext http,
            WithdrawalCoordinator withdrawals, CancellationToken ct) =>
            Answer(await withdrawals.RejectAsync(withdrawalId, decision, AuditActor.Of(http), ct))).WithBodyLimit(BodyLimits.Default);
        admin.MapGet("ledger/accounts", async (LedgerReads reads, CancellationToken ct) => Results.Ok(await reads.TotalsAsync(ct)));
        return app;
    }

    private static Guid? CourierOf(ClaimsPrincipal user) => Guid.TryParse(user.FindFirstValue("sub"), out var id) ? id : null;

    private static IResult NotACourier() => Failure.NotFound("Your token names no courier.").ToProblem();

    private static IResult Answer(Outcome<WithdrawalView> outcome) => outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
}
