using System.Security.Claims;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.OrderLists;

/// <summary>
/// GET /api/orders — a merchant's own orders, newest first, a page at a time (the filters of <see cref="OrderListFilters"/>
/// except courier). POST /api/orders/lookup — up to 500 order numbers in one call, for merchants (their own only; another
/// merchant's number is reported missing, never confirmed), dispatchers (their zones' orders only) and admins.
/// </summary>
internal static partial class OrderListsApi
{
    public const int MaxLookup = 500;

    /// <summary>Body bytes for a lookup: 500 numbers of up to 20 characters each, quoted, with room to spare.</summary>
    public const long LookupBodyBytes = 32 * 1024;

    public static IEndpointRouteBuilder MapOrderListsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orders", ListAsync).RequireAuthorization(p => p.RequireRole(Roles.Merchant));
        app.MapPost("/api/orders/lookup", LookupAsync).RequireAuthorization(p => p.RequireRole(Roles.Merchant, Roles.Dispatcher, Roles.Admin))
            .WithBodyLimit(LookupBodyBytes);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal user, IDbContextFactory<DispatchDbContext> dbs, Archive.ArchiveHorizon horizon,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var merchant = user.FindFirstValue("sub") ?? "";
        var parsed = OrderListFilters.Parse(http.Request.Query);
        var archived = Archive.ArchivedOrders.Parse(http.Request.Query);
        var refusal = parsed.Failure ?? archived.Failure ?? (parsed.Value!.Courier is not null
            ? Failure.BadRequest("courier", "courier is a filter for dispatchers; a merchant's list filters by status, zone, kind and date.")
            : null);
        if (refusal is not null)
        {
            LogRefused(loggers.CreateLogger(typeof(OrderListsApi).FullName!), "list", merchant, refusal.Detail);
            return refusal.ToProblem();
        }
        var filters = parsed.Value!;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var source = Archive.ArchivedOrders.Source(db, archived.Value, filters.From, horizon.Now());
        var fetched = await filters.Apply(source.AsNoTracking().Where(o => o.MerchantId == merchant)).Take(filters.Limit + 1).ToListAsync(ct);
        var (page, next) = OrderPage.Cut(fetched, filters.Limit);
        OrderPage.WriteNext(http, next);
        return Results.Ok(page.Select(o => OrderSearchHit.From(o) with { CourierId = null }).ToArray());
    }

    private static async Task<IResult> LookupAsync(OrderLookupRequest? request, ClaimsPrincipal user, IDbContextFactory<DispatchDbContext> dbs, ILoggerFactory loggers, CancellationToken ct)
    {
        var caller = user.FindFirstValue("sub") ?? "";
        var isMerchant = user.IsInRole(Roles.Merchant) && !user.IsInRole(Roles.Dispatcher) && !user.IsInRole(Roles.Admin);
        var (numbers, refusal) = Numbers(request?.Numbers);
        if (refusal is not null)
        {
            LogRefused(loggers.CreateLogger(typeof(OrderListsApi).FullName!), "lookup", caller, refusal.Detail);
            return refusal.ToProblem();
        }
        var wanted = numbers.Select(n => n.Number).Distinct().ToArray();
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Live and archived alike: a number stays findable after the archival moved its order.
        var query = Archive.OrderReader.Everywhere(db).AsNoTracking().Where(o => wanted.Contains(o.Number));
        if (isMerchant) query = query.Where(o => o.MerchantId == caller);
        // A dispatcher's lookup, like their search, finds only their zones' orders; the others are "missing", never confirmed.
        if (ZoneScope.Of(user).Zones is { } mine)
        {
            var allowed = mine.ToArray();
            query = query.Where(o => allowed.Contains(o.Zone));
        }
        var found = await query.ToDictionaryAsync(o => o.Number, ct);
        var orders = numbers.Where(n => found.ContainsKey(n.Number)).Select(n => OrderSearchHit.From(found[n.Number]))
            .Select(h => isMerchant ? h with { CourierId = null } : h).ToArray();
        var missing = numbers.Where(n => !found.ContainsKey(n.Number)).Select(n => n.Asked).ToArray();
        return Results.Ok(new OrderLookupResult(orders, missing));
    }

    private static (List<(string Asked, long Number)> Numbers, Failure? Refusal) Numbers(string[]? asked)
    {
        if (asked is null || asked.Length == 0) return ([], Failure.BadRequest("numbers", "Send the order numbers to look up: {\"numbers\": [\"D-000042\", \"43\"]}."));
        if (asked.Length > MaxLookup) return ([], Failure.BadRequest("numbers", $"At most {MaxLookup} order numbers per call; this one has {asked.Length}. Split it."));
        var numbers = new List<(string, long)>(asked.Length);
        for (var i = 0; i < asked.Length; i++)
        {
            var text = asked[i];
            if (text is null || text.Length > 24 || OrderRecord.ParseNumber(text) is not { } n)
                return ([], Failure.BadRequest("numbers", $"numbers[{i}] is not an order number (D-000042 or 42)."));
            numbers.Add((text.Trim(), n));
        }
        return (numbers, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Kind} for {Caller} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string kind, string caller, string reason);
}
