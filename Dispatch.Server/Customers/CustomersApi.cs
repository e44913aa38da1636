using System.Security.Claims;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Payments;
using static Dispatch.Server.Auth.CustomerPrincipal;

namespace Dispatch.Server.Customers;

/// <summary>
/// The customer app's HTTP API: sign-in by phone code (/api/customers/codes, /api/customers/sign-in; refresh and sign-out
/// are /api/auth's), and the signed-in customer's own orders, addresses and ratings under /api/customers/me.
/// </summary>
internal static class CustomersApi
{
    public sealed record CodeRequest(string? Phone);

    public sealed record CodeSent(DateTimeOffset ExpiresAt);

    public sealed record CustomerSignInRequest(string? Phone, string? Code);

    public sealed record RateRequest(int? Stars, string? Comment);

    public sealed record CustomerCancelRequest(string? Reason);

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/api/customers").AllowAnonymous().WithBodyLimit(BodyLimits.Default);
        open.MapPost("/codes", async (CodeRequest? request, CustomerSignInCoordinator signIn, CancellationToken ct) =>
        {
            var outcome = await signIn.SendCodeAsync(request?.Phone, ct);
            return outcome.Ok ? Results.Accepted(value: new CodeSent(outcome.Value)) : outcome.Failure!.ToProblem();
        }).RequireRateLimiting(RateLimits.CustomerCodes);
        open.MapPost("/sign-in", async (CustomerSignInRequest? request, CustomerSignInCoordinator signIn, CancellationToken ct) =>
        {
            var outcome = await signIn.SignInAsync(request?.Phone, request?.Code, ct);
            return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
        }).RequireRateLimiting(RateLimits.SignIns);

        var me = app.MapGroup("/api/customers/me").RequireAuthorization(p => p.RequireRole(Roles.Customer)).WithBodyLimit(BodyLimits.Default);
        me.MapGet("/orders", async (long? before, int? limit, ClaimsPrincipal user, CustomerOrdersCoordinator orders, CancellationToken ct) =>
        {
            var size = limit ?? 20;
            if (size is < 1 or > CustomerOrdersCoordinator.MaxPageSize)
                return Failure.BadRequest("limit", $"limit must be 1–{CustomerOrdersCoordinator.MaxPageSize}.").ToProblem();
            if (before is <= 0) return Failure.BadRequest("before", "before is the nextBefore of the previous page (a positive number).").ToProblem();
            return Results.Ok(await orders.ListAsync(CustomerId(user), before, size, ct));
        });
        me.MapGet("/orders/{id:guid}", async (Guid id, ClaimsPrincipal user, CustomerOrdersCoordinator orders, CancellationToken ct) =>
            await orders.ViewAsync(CustomerId(user), id, ct) is { } view ? Results.Ok(view) : Failure.NotFound($"Order {id} does not exist.").ToProblem());
        me.MapPost("/orders", async (PlaceOrderRequest? request, ClaimsPrincipal user, CustomerOrdersCoordinator orders, CancellationToken ct) =>
        {
            if (request is null) return Failure.BadRequest("body", "Send {quoteId, contactName, items, buyForMe} as JSON.").ToProblem();
            var outcome = await orders.PlaceAsync(CustomerId(user), request, ct);
            if (!outcome.Ok) return outcome.Failure!.ToProblem();
            var (order, created) = outcome.Value;
            return created ? Results.Created($"/api/customers/me/orders/{order.Id}", order) : Results.Ok(order);
        }).WithBodyLimit(BodyLimits.Order).RequireRateLimiting(RateLimits.Orders);
        // The providers switched on here, real ones first: the ordering page offers them and starts with the first.
        me.MapGet("/payment-methods", (PaymentProviders providers) =>
            Results.Ok(new { methods = providers.Names.OrderBy(n => n == SandboxProvider.ProviderName).ThenBy(n => n, StringComparer.Ordinal).ToList() }));
        me.MapPost("/orders/{id:guid}/payment", async (Guid id, StartPaymentRequest? request, HttpContext http, ClaimsPrincipal user, CustomerOrdersCoordinator orders, CancellationToken ct) =>
        {
            if (request is null) return Failure.BadRequest("body", "Send {\"provider\": \"sandbox\"} (or wechat, alipay, with channel) as JSON.").ToProblem();
            var outcome = await orders.PayAsync(CustomerId(user), id, request, http.Connection.RemoteIpAddress?.ToString(), ct);
            return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
        }).WithBodyLimit(BodyLimits.PaymentCallback);
        me.MapPost("/orders/{id:guid}/cancel", async (Guid id, CustomerCancelRequest? request, ClaimsPrincipal user, CustomerOrdersCoordinator orders, CancellationToken ct) =>
        {
            if (Core.Validation.TextRules.Check("reason", request?.Reason, Core.Validation.TextRules.MaxLineLength) is { } bad) return Failure.BadRequest("reason", bad).ToProblem();
            var outcome = await orders.CancelAsync(CustomerId(user), id, request?.Reason, ct);
            return outcome.Ok ? Results.Ok(new { id, status = outcome.Value }) : outcome.Failure!.ToProblem();
        });
        me.MapPost("/orders/{id:guid}/rating", async (Guid id, RateRequest? request, ClaimsPrincipal user, CustomerOrdersCoordinator orders, CancellationToken ct) =>
        {
            if (request?.Stars is not { } stars) return Failure.BadRequest("stars", "stars is required: 1 to 5.").ToProblem();
            if (Core.Validation.TextRules.Check("comment", request.Comment, Core.Orders.RatingRules.MaxCommentLength, multiLine: true) is { } bad)
                return Failure.BadRequest("comment", bad).ToProblem();
            var outcome = await orders.RateAsync(CustomerId(user), id, stars, request.Comment, ct);
            return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
        });
        me.MapGet("/addresses", async (ClaimsPrincipal user, AddressBook book, CancellationToken ct) => Results.Ok(await book.ListAsync(CustomerId(user), ct)));
        me.MapPost("/addresses", async (AddressBook.AddressRequest? request, ClaimsPrincipal user, AddressBook book, CancellationToken ct) =>
        {
            if (request is null) return Failure.BadRequest("body", "Send {label, address, lat, lon} as JSON.").ToProblem();
            var outcome = await book.AddAsync(CustomerId(user), request, ct);
            return outcome.Ok ? Results.Created($"/api/customers/me/addresses/{outcome.Value!.Id}", outcome.Value) : outcome.Failure!.ToProblem();
        });
        me.MapPut("/addresses/{id:guid}", async (Guid id, AddressBook.AddressRequest? request, ClaimsPrincipal user, AddressBook book, CancellationToken ct) =>
        {
            if (request is null) return Failure.BadRequest("body", "Send {label, address, lat, lon} as JSON.").ToProblem();
            var outcome = await book.ChangeAsync(CustomerId(user), id, request, ct);
            return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
        });
        me.MapDelete("/addresses/{id:guid}", async (Guid id, ClaimsPrincipal user, AddressBook book, CancellationToken ct) =>
        {
            var outcome = await book.DeleteAsync(CustomerId(user), id, ct);
            return outcome.Ok ? Results.NoContent() : outcome.Failure!.ToProblem();
        });
        return app;
    }
}
