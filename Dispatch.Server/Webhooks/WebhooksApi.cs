using System.Security.Claims;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;

namespace Dispatch.Server.Webhooks;

/// <summary>Merchant (own endpoints) and admin (any merchant's) HTTP API for webhook endpoints and their delivery log.</summary>
internal static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/api/webhooks").RequireAuthorization(p => p.RequireRole(Roles.Merchant, Roles.Admin));
        hooks.MapPost("", RegisterAsync);
        hooks.MapGet("", ListAsync);
        hooks.MapDelete("{id:guid}", DeleteAsync);
        hooks.MapPost("{id:guid}/rotate-secret", RotateSecretAsync);
        hooks.MapGet("{id:guid}/deliveries", DeliveriesAsync);
        hooks.MapPost("deliveries/{deliveryId:long}/redeliver", RedeliverAsync);
        return app;
    }

    private static WebhookCaller Caller(ClaimsPrincipal user) => new(user.FindFirstValue("sub") ?? "", user.IsInRole(Roles.Admin));

    private static async Task<IResult> RegisterAsync(RegisterWebhookRequest? request, ClaimsPrincipal user, WebhookCoordinator webhooks, CancellationToken ct)
    {
        if (request is null) return Failure.BadRequest(RequestErrors.BodyField, "Send the endpoint as JSON: { \"url\": \"https://…\", \"events\": [\"order.status\"] }.").ToProblem();
        var outcome = await webhooks.RegisterAsync(Caller(user), request, ct);
        return outcome.Ok ? Results.Created($"/api/webhooks/{outcome.Value!.Id}", outcome.Value) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> ListAsync(string? merchantId, ClaimsPrincipal user, WebhookCoordinator webhooks, CancellationToken ct) =>
        Results.Ok(await webhooks.ListAsync(Caller(user), merchantId, ct));

    private static async Task<IResult> DeleteAsync(Guid id, ClaimsPrincipal user, WebhookCoordinator webhooks, CancellationToken ct) =>
        await webhooks.DeleteAsync(Caller(user), id, ct) is { } failure ? failure.ToProblem() : Results.NoContent();

    private static async Task<IResult> RotateSecretAsync(Guid id, RotateSecretRequest? request, ClaimsPrincipal user, WebhookCoordinator webhooks, CancellationToken ct)
    {
        var outcome = await webhooks.RotateSecretAsync(Caller(user), id, request?.OverlapSeconds, ct);
        return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> DeliveriesAsync(Guid id, string? state, int? limit, ClaimsPrincipal user, WebhookCoordinator webhooks, CancellationToken ct)
    {
        var outcome = await webhooks.DeliveriesAsync(Caller(user), id, state, limit, ct);
        return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> RedeliverAsync(long deliveryId, ClaimsPrincipal user, WebhookCoordinator webhooks, CancellationToken ct)
    {
        var outcome = await webhooks.RedeliverAsync(Caller(user), deliveryId, ct);
        return outcome.Ok ? Results.Accepted(value: outcome.Value) : outcome.Failure!.ToProblem();
    }
}
