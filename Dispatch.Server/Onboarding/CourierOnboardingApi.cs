using System.Security.Claims;
using Dispatch.Core.Couriers;
using Dispatch.Server.Audit;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Dispatch.Server.Onboarding;

/// <summary>
/// Courier registration (anonymous, rate-limited like sign-in) and their own standing at /api/couriers; the admin's review
/// queue and decisions at /api/admin/couriers.
/// </summary>
internal static class CourierOnboardingApi
{
    public const int MaxList = 500;

    public static IEndpointRouteBuilder MapCourierOnboardingApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/couriers/register", async (CourierRegistration? form, HttpContext http, CourierOnboardingCoordinator onboarding, CancellationToken ct) =>
        {
            var outcome = await onboarding.RegisterAsync(form, http.Connection.RemoteIpAddress?.ToString(), ct);
            return outcome.Ok ? Results.Created($"/api/couriers/me", outcome.Value) : outcome.Failure!.ToProblem();
        }).AllowAnonymous().WithBodyLimit(BodyLimits.Default).RequireRateLimiting(RateLimits.SignIns);

        app.MapGet("/api/couriers/me", async (ClaimsPrincipal user, CourierOnboardingCoordinator onboarding, CancellationToken ct) =>
            Guid.TryParse(user.FindFirstValue("sub"), out var id) && await onboarding.ViewAsync(id, ct) is { } view
                ? Results.Ok(view)
                : Failure.NotFound("Your token names no registered courier.").ToProblem())
            .RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Courier));

        var admin = app.MapGroup("/api/admin/couriers")
            .RequireAuthorization(p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Admin));
        admin.MapGet("", async (string? review, int? limit, CourierOnboardingCoordinator onboarding, CancellationToken ct) =>
        {
            CourierReview? state = null;
            if (!string.IsNullOrEmpty(review))
            {
                if (!char.IsAsciiLetter(review[0]) || !Enum.TryParse<CourierReview>(review, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                    return Failure.BadRequest("review", "review must be pending, approved or rejected (or left out for all).").ToProblem();
                state = parsed;
            }
            if (limit is < 1 or > MaxList) return Failure.BadRequest("limit", $"limit must be 1..{MaxList}.").ToProblem();
            return Results.Ok(await onboarding.ListAsync(state, limit ?? 100, ct));
        });
        admin.MapGet("{courierId:guid}", async (Guid courierId, CourierOnboardingCoordinator onboarding, CancellationToken ct) =>
            await onboarding.ViewAsync(courierId, ct) is { } view ? Results.Ok(view) : Failure.NotFound($"No courier has id {courierId}.").ToProblem());
        admin.MapGet("{courierId:guid}/phone", async (Guid courierId, HttpContext http, CourierOnboardingCoordinator onboarding, CancellationToken ct) =>
        {
            var outcome = await onboarding.ReadPhoneAsync(courierId, AuditActor.Of(http), ct);
            return outcome.Ok ? Results.Ok(new { courierId, phone = outcome.Value }) : outcome.Failure!.ToProblem();
        });
        admin.MapPost("{courierId:guid}/approve", (Guid courierId, CourierReviewRequest? request, HttpContext http, CourierOnboardingCoordinator onboarding, CancellationToken ct) =>
            Answer(onboarding.ApproveAsync(courierId, request, AuditActor.Of(http), ct)));
        admin.MapPost("{courierId:guid}/reject", (Guid courierId, CourierReviewRequest? request, HttpContext http, CourierOnboardingCoordinator onboarding, CancellationToken ct) =>
            Answer(onboarding.RejectAsync(courierId, request, AuditActor.Of(http), ct)));
        admin.MapPost("{courierId:guid}/suspend", async (Guid courierId, CourierReviewRequest? request, HttpContext http, CourierOnboardingCoordinator onboarding, CancellationToken ct) =>
        {
            var outcome = await onboarding.SuspendAsync(courierId, request, AuditActor.Of(http), ct);
            if (!outcome.Ok) return outcome.Failure!.ToProblem();
            // The suspension holds either way (a 200); the header says the live part waits for Redis.
            if (outcome.Value!.EvictionDeferred) http.Response.Headers[Couriers.CourierConnections.EvictionHeader] = "deferred";
            return Results.Ok(outcome.Value.Courier);
        });
        admin.MapPost("{courierId:guid}/reinstate", (Guid courierId, HttpContext http, CourierOnboardingCoordinator onboarding, CancellationToken ct) =>
            Answer(onboarding.ReinstateAsync(courierId, AuditActor.Of(http), ct)));
        return app;
    }

    private static async Task<IResult> Answer(Task<Outcome<CourierReviewView>> pending)
    {
        var outcome = await pending;
        return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
    }
}
