using System.Security.Claims;
using Dispatch.Core.Orders;
using Dispatch.Core.Validation;
using Dispatch.Server.Audit;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.ControlRoom;

/// <summary>
/// The board's commands and queries (dispatcher or admin): order search, assign and reassign, move all of a courier's
/// orders, mark a carried order failed, acknowledge an alert, unlock PIN entry or allow delivery away from the drop-off. Refusals are problem details naming the field or saying why the order stays as it is.
/// </summary>
internal static partial class ControlRoomApi
{
    public const int MaxSearchResults = OrderLists.OrderListFilters.MaxLimit;
    public const int MaxSearchDays = OrderLists.OrderListFilters.MaxDays;

    /// <summary>Longest value of any search parameter, characters.</summary>
    public const int MaxQueryLength = 100;

    public sealed record AssignRequest(Guid? CourierId, string? Reason);

    public sealed record ReassignAllRequest(Guid? ToCourierId, string? Reason);

    public sealed record AcknowledgeRequest(string? Key);

    public sealed record HandOverRequest(string? Reason);

    public static IEndpointRouteBuilder MapControlRoomApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").RequireAuthorization(p => p.RequireRole(Roles.Dispatcher, Roles.Admin));
        group.MapGet("/orders/search", SearchAsync);
        // A dispatcher acts only in the zones they are given (ZoneScopeFilter); search lists only those zones' orders.
        var inOrderZone = new ZoneScopeFilter(ZoneScopeTarget.Order);
        group.MapGet("/orders/{id:guid}/route", RouteAsync).AddEndpointFilter(inOrderZone);
        group.MapPost("/orders/{id:guid}/assign", AssignAsync).AddEndpointFilter(inOrderZone);
        group.MapPost("/couriers/{id:guid}/reassign", ReassignAllAsync).AddEndpointFilter(new ZoneScopeFilter(ZoneScopeTarget.CourierOrders));
        group.MapPost("/zones/{zone}/alerts/acknowledge", AcknowledgeAsync).AddEndpointFilter(new ZoneScopeFilter(ZoneScopeTarget.Zone));
        group.MapPost("/orders/{id:guid}/unlock-pin", (Guid id, HandOverRequest? request, HttpContext http, HandOverCoordinator handOver, CancellationToken ct) =>
            HandOverAsync(request, r => handOver.UnlockPinAsync(id, Actor(http.User), r, AuditActor.Of(http), ct))).AddEndpointFilter(inOrderZone);
        group.MapPost("/orders/{id:guid}/allow-any-place", (Guid id, HandOverRequest? request, HttpContext http, HandOverCoordinator handOver, CancellationToken ct) =>
            HandOverAsync(request, r => handOver.AllowAnyPlaceAsync(id, Actor(http.User), r, AuditActor.Of(http), ct))).AddEndpointFilter(inOrderZone);
        group.MapPost("/orders/{id:guid}/fail", FailAsync).AddEndpointFilter(inOrderZone);
        return app;
    }

    /// <summary>The caller as order events and logs name them: "dispatcher:d-1".</summary>
    public static string Actor(ClaimsPrincipal user) =>
        $"{(user.IsInRole(Roles.Admin) ? Roles.Admin : Roles.Dispatcher)}:{user.FindFirstValue("sub") ?? "unknown"}";

    private static async Task<IResult> AssignAsync(Guid id, AssignRequest? request, ClaimsPrincipal user, HttpContext http, ReassignCoordinator coordinator, CancellationToken ct)
    {
        if (request?.CourierId is not { } courierId) return Failure.BadRequest("courierId", "Say which courier gets the order (courierId).").ToProblem();
        if (Reason(request.Reason) is { } bad) return bad.ToProblem();
        var outcome = await coordinator.AssignAsync(id, courierId, Actor(user), request.Reason?.Trim(), AuditActor.Of(http), ct);
        return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> ReassignAllAsync(Guid id, ReassignAllRequest? request, ClaimsPrincipal user, HttpContext http, ReassignCoordinator coordinator, CancellationToken ct)
    {
        if (Reason(request?.Reason) is { } bad) return bad.ToProblem();
        var outcome = await coordinator.ReassignAllAsync(id, request?.ToCourierId, Actor(user), request?.Reason?.Trim(), AuditActor.Of(http), ct);
        return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
    }

    private static async Task<IResult> AcknowledgeAsync(string zone, AcknowledgeRequest? request, ClaimsPrincipal user, HttpContext http, ControlRoomCoordinator board, CancellationToken ct)
    {
        var outcome = await board.AcknowledgeAsync(zone, request?.Key, Actor(user), AuditActor.Of(http), ct);
        return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
    }

    /// <summary>Unlock PIN entry or allow delivery anywhere: a dispatcher's decision, so it needs a reason for the timeline.</summary>
    private static async Task<IResult> HandOverAsync(HandOverRequest? request, Func<string, Task<Outcome<HandOverCoordinator.HandOverState>>> act)
    {
        var reason = request?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return Failure.BadRequest("reason", "Say why (reason, 1–300 characters); it is recorded in the order's timeline.").ToProblem();
        if (Reason(reason) is { } bad) return bad.ToProblem();
        var outcome = await act(reason);
        return outcome.Ok ? Results.Ok(outcome.Value) : outcome.Failure!.ToProblem();
    }

    /// <summary>POST /api/orders/{id}/fail {"reason"} — the goods cannot reach the customer; the reason goes to the timeline and the courier.</summary>
    private static async Task<IResult> FailAsync(Guid id, HandOverRequest? request, ClaimsPrincipal user, HttpContext http, FailCoordinator coordinator, CancellationToken ct)
    {
        var reason = request?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return Failure.BadRequest("reason", "Say why the order failed (reason, 1–300 characters); the courier and the timeline get it.").ToProblem();
        if (Reason(reason) is { } bad) return bad.ToProblem();
        var outcome = await coordinator.FailAsync(id, Actor(user), reason, AuditActor.Of(http), ct);
        return outcome.Ok ? Results.Ok(new { status = outcome.Value }) : outcome.Failure!.ToProblem();
    }

    /// <summary>GET /api/orders/{id}/route — the latest planned route (courier → pickup → drop-off), 204 when none was planned.</summary>
    private static async Task<IResult> RouteAsync(Guid id, IDbContextFactory<DispatchDbContext> dbs, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Orders.AnyAsync(o => o.Id == id, ct)) return Failure.NotFound($"Order {id} does not exist.").ToProblem();
        var route = await Routing.RoutePlanner.LatestAsync(db, id, ct);
        return route is null ? Results.NoContent() : Results.Ok(route);
    }

    private static Failure? Reason(string? reason) =>
        reason is { Length: > 300 } ? Failure.BadRequest("reason", "Keep the reason under 300 characters; the courier reads it on their phone.")
        : TextRules.Check("reason", reason, 300) is { } bad ? Failure.BadRequest("reason", bad)
        : null;

    /// <summary>
    /// GET /api/orders/search?q=D-000042|42|{id}&amp;phone=+377…&amp;from=2026-11-01&amp;to=2026-11-02&amp;zone=&amp;status=&amp;courier=&amp;kind=&amp;limit=50&amp;cursor= —
    /// every given filter must match; newest first, a page at a time (<see cref="OrderLists.OrderPage"/>). Phones match the whole number (national or international), or its last
    /// 6+ digits, through their keyed hashes (<see cref="PhoneSearch"/>).
    /// </summary>
    private static async Task<IResult> SearchAsync(HttpRequest http, IDbContextFactory<DispatchDbContext> dbs, Privacy.PersonalData personal,
        Microsoft.Extensions.Options.IOptions<DispatchOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        var (result, refusal) = await TrySearchAsync(http, dbs, personal, options.Value, ct);
        if (refusal is not null)
        {
            LogSearchRefused(loggers.CreateLogger(typeof(ControlRoomApi)), PhoneSearch.Redacted(http.Query), refusal.Detail);
            return refusal.ToProblem();
        }
        return result!;
    }

    private static async Task<(IResult? Result, Failure? Refusal)> TrySearchAsync(HttpRequest http, IDbContextFactory<DispatchDbContext> dbs,
        Privacy.PersonalData personal, DispatchOptions options, CancellationToken ct)
    {
        var query = http.Query;
        string? Param(string name) => query[name].FirstOrDefault() is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var q = Param("q");
        var phone = Param("phone");
        // Before any parsing, so no refusal echoes a long or binary value back.
        foreach (var (name, value) in new[] { ("q", q), ("phone", phone) })
        {
            if (TextRules.Check(name, value, MaxQueryLength) is { } bad) return (null, Failure.BadRequest(name, bad));
        }
        var parsedFilters = OrderLists.OrderListFilters.Parse(query);
        if (!parsedFilters.Ok) return (null, parsedFilters.Failure);
        var filters = parsedFilters.Value!;
        var archived = Archive.ArchivedOrders.Parse(query);
        if (!archived.Ok) return (null, archived.Failure);
        if (q is null && phone is null && !filters.Narrows)
            return (null, Failure.BadRequest("q", "Search by order number or id (q), customer phone (phone), a date range (from, to), or zone, status, courier or kind."));

        Guid? id = null;
        long? number = null;
        if (q is not null)
        {
            if (Guid.TryParse(q, out var g)) id = g;
            else if (OrderRecord.ParseNumber(q) is { } n) number = n;
            else return (null, Failure.BadRequest("q", $"'{q}' is neither an order number (D-000042 or 42) nor an order id."));
        }
        PhoneSearch? byPhone = null;
        if (phone is not null)
        {
            var parsed = PhoneSearch.Parse(phone, options.DefaultCountryCallingCode, personal);
            if (!parsed.Ok) return (null, parsed.Failure);
            byPhone = parsed.Value;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var source = Archive.ArchivedOrders.Source(db, archived.Value, filters.From, http.HttpContext.RequestServices.GetRequiredService<Archive.ArchiveHorizon>().Now());
        var orders = byPhone is null ? source.AsNoTracking() : byPhone.Filter(source.AsNoTracking());
        if (id is { } byId) orders = orders.Where(o => o.Id == byId);
        if (number is { } byNumber) orders = orders.Where(o => o.Number == byNumber);
        if (ZoneScope.Of(http.HttpContext.User).Zones is { } mine)
        {
            var allowed = mine.ToArray();
            orders = orders.Where(o => allowed.Contains(o.Zone));
        }
        var limit = filters.Limit;
        // One row past the page tells whether another follows. A phone suffix matches candidates checked here, so its
        // page goes on from the last candidate read, matched or not.
        var take = (byPhone?.Candidates(limit) ?? limit) + 1;
        var fetched = await filters.Apply(orders).Take(take).ToListAsync(ct);
        var (page, next) = OrderLists.OrderPage.Cut(fetched, take - 1);
        if (byPhone is not null)
        {
            var matched = page.Where(byPhone.Matches).ToList();
            if (matched.Count > limit) (page, next) = (matched[..limit], new Core.Orders.OrderCursor(matched[limit - 1].CreatedAt, matched[limit - 1].Id));
            else page = matched;
        }
        OrderLists.OrderPage.WriteNext(http.HttpContext, next);
        return (Results.Ok(page.Select(OrderLists.OrderSearchHit.From).ToArray()), null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order search {Query} refused: {Reason}")]
    private static partial void LogSearchRefused(ILogger logger, string query, string reason);
}
