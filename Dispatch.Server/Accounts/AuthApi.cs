using Dispatch.Server.Common;

namespace Dispatch.Server.Accounts;

/// <summary>Sign-in, refresh and sign-out for every role: POST /api/auth/sign-in, /refresh, /sign-out.</summary>
internal static class AuthApi
{
    public sealed record SignInRequest(string? Username, string? Password);

    public sealed record RefreshRequest(string? RefreshToken);

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").AllowAnonymous().WithBodyLimit(BodyLimits.Default).RequireRateLimiting(RateLimits.SignIns);
        auth.MapPost("/sign-in", async (SignInRequest request, SessionCoordinator sessions, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(request.Username) || request.Username.Length > 64) return Failure.BadRequest("username", "username is required (at most 64 characters).").ToProblem();
            if (string.IsNullOrEmpty(request.Password) || request.Password.Length > 256) return Failure.BadRequest("password", "password is required (at most 256 characters).").ToProblem();
            var outcome = await sessions.SignInAsync(request.Username, request.Password, ct);
            return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
        });
        auth.MapPost("/refresh", async (RefreshRequest request, SessionCoordinator sessions, CancellationToken ct) =>
        {
            if (BadToken(request.RefreshToken) is { } bad) return bad;
            var outcome = await sessions.RefreshAsync(request.RefreshToken!, ct);
            return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
        });
        auth.MapPost("/sign-out", async (RefreshRequest request, SessionCoordinator sessions, CancellationToken ct) =>
        {
            if (BadToken(request.RefreshToken) is { } bad) return bad;
            await sessions.SignOutAsync(request.RefreshToken!, ct);
            return Results.NoContent();
        });
        return app;
    }

    private static IResult? BadToken(string? token) =>
        string.IsNullOrEmpty(token) || token.Length > 100 ? Failure.BadRequest("refreshToken", "refreshToken is required: the one sign-in or the last refresh returned.").ToProblem() : null;
}
