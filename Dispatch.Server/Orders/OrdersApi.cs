using System.Security.Claims;
using Dispatch.Core.Orders;
using Dispatch.Core.Tracking;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Orders;

/// <summary>Merchant and dispatcher HTTP API for orders.</summary>
internal static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders");
        orders.MapPost("", CreateAsync).RequireAuthorization(p => p.RequireRole(Roles.Merchant, Roles.Admin)).WithBodyLimit(BodyLimits.Order)
            .RequireRateLimiting(RateLimits.Orders);
        orders.MapPost("{id:guid}/cancel", CancelAsync).RequireAuthorization(p => p.RequireRole(Roles.Merchant, Roles.Dispatcher, Roles.Admin))
            .AddEndpointFilter(new ZoneScopeFilter(ZoneScopeTarget.Order));
        orders.MapGet("{id:guid}", GetAsync).RequireAuthorization(p => p.RequireRole(Roles.Merchant, Roles.Dispatcher, Roles.Admin))
            .AddEndpointFilter(new ZoneScopeFilter(ZoneScopeTarget.Order));
        return app;
    }

    private static async Task<IResult> CreateAsync(
        CreateOrderRequest? request, HttpContext http, ClaimsPrincipal user, OrderCoordinator orders, IOptions<DispatchOptions> options, CancellationToken ct)
    {
        if (request is null) return Common.Failure.BadRequest("body", "Send the order as JSON.").ToProblem();
        var merchant = user.FindFirstValue("sub") ?? "";
        var outcome = await orders.CreateAsync(merchant, http.Request.Headers["Idempotency-Key"].FirstOrDefault(), request, ct);
        if (!outcome.Ok) return outcome.Failure!.ToProblem();
        var (order, created) = outcome.Value;
        var events = (await orders.GetAsync(order.Id, ct))?.Events ?? [];
        var view = ToView(order, events, orders, includeSecrets: true, options.Value.Currency, []);
        return created ? Results.Created($"/api/orders/{order.Id}", view) : Results.Ok(view);
    }

    /// <summary>Body of POST /api/orders/{id}/cancel.</summary>
    public sealed record CancelRequest(string? Reason);

    private static async Task<IResult> CancelAsync(Guid id, CancelRequest? request, ClaimsPrincipal user, HttpContext http, OrderCoordinator orders, CancellationToken ct)
    {
        if (Core.Validation.TextRules.Check("reason", request?.Reason, 300) is { } badText) return Failure.BadRequest("reason", badText).ToProblem();
        var reason = request?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 300)
            return Common.Failure.BadRequest("reason", "Give a reason for cancelling (1–300 characters); the courier and the timeline show it.").ToProblem();
        var subject = user.FindFirstValue("sub") ?? "";
        var role = user.IsInRole(Roles.Admin) ? Roles.Admin : user.IsInRole(Roles.Dispatcher) ? Roles.Dispatcher : Roles.Merchant;
        var outcome = await orders.CancelAsync(id, $"{role}:{subject}", role == Roles.Merchant ? subject : null, reason,
            role == Roles.Merchant ? null : Audit.AuditActor.Of(http), ct);
        return outcome.Ok ? Results.Ok(new { id, status = outcome.Value }) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> GetAsync(Guid id, bool? archived, ClaimsPrincipal user, OrderCoordinator orders, IOptions<DispatchOptions> options,
        Microsoft.EntityFrameworkCore.IDbContextFactory<DispatchDbContext> dbs, CancellationToken ct)
    {
        // Live first, then the archive schema (orders moved there by Archive/OrderArchiveJob), the order as it was;
        // ?archived=true reads the archive only, ?archived=false the live tables only.
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await Archive.OrderReader.GetAsync(db, id, archived, ct) is not { } f)
            return Common.Failure.NotFound(archived switch
            {
                true => $"Order {id} is not in the archive.",
                false => $"Order {id} is not live (an archived order is read without ?archived=false).",
                null => $"Order {id} does not exist.",
            }).ToProblem();
        var isMerchant = user.IsInRole(Roles.Merchant) && !user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.Dispatcher);
        if (isMerchant && f.Order.MerchantId != user.FindFirstValue("sub"))
            return Common.Failure.NotFound($"Order {id} does not exist.").ToProblem(); // never confirm another merchant's order exists
        return Results.Ok(ToView(f.Order, f.Events, orders, includeSecrets: isMerchant, options.Value.Currency, [.. f.Refunds.Select(RefundView.Of)]));
    }

    /// <summary>The order for its merchant (<paramref name="includeSecrets"/>: PIN, link, and only the customer's timeline) or for staff.</summary>
    private static OrderView ToView(OrderRecord o, List<OrderEventRecord> events, OrderCoordinator orders, bool includeSecrets, string currency, RefundView[] refunds)
    {
        var pickup = OrderEvents.ToLatLon(o.Pickup);
        var dropoff = OrderEvents.ToLatLon(o.Dropoff);
        var token = includeSecrets ? orders.TrackingToken(o) : null;
        return new OrderView(
            o.Id, o.FormatNumber(), o.Status, o.Kind, o.RequiresColdChain, o.Zone,
            new PlaceDto(pickup.Lat, pickup.Lon, o.PickupAddress), new PlaceDto(dropoff.Lat, dropoff.Lon, o.DropoffAddress),
            o.CustomerName, PhoneMask.Mask(o.CustomerPhone), [.. o.Items], o.PromisedAt, o.CreatedAt, includeSecrets ? null : o.CourierId,
            includeSecrets ? o.Pin : null, token, token is null ? null : $"/track/{token}", includeSecrets ? o.TrackingExpiresAt : null,
            includeSecrets ? [] : [.. events.Select(OrderEvents.ToEntry)], JobFactory.BuyForMeOf(o, currency), JobFactory.RatingOf(o), o.CourierFeeCents, o.ReadyAt,
            OrderStops.Views(o), CustomerView.Timeline([.. events.Select(OrderEvents.ToEvent)]), PaymentView.Of(o, currency, refunds));
    }
}
