using Dispatch.Core.Contracts;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Pricing;
using Dispatch.Core.Tracking;
using Dispatch.Server.Catalogue;
using Dispatch.Server.Common;
using Dispatch.Server.Orders;
using Dispatch.Server.Payments;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Customers;

/// <summary>
/// A customer's own orders: placing one from a quote (through <see cref="OrderCoordinator"/>, so it is created like a
/// merchant's, Placed and waiting for payment), listing them, reading one, rating one. Another customer's order answers
/// like a missing one (404), never 403, so ids tell nothing.
/// </summary>
internal sealed partial class CustomerOrdersCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    OrderCoordinator orders,
    RatingCoordinator ratings,
    PaymentCoordinator payments,
    IOptions<CustomerOptions> options,
    IOptions<DispatchOptions> dispatch,
    TimeProvider clock,
    ILogger<CustomerOrdersCoordinator> logger)
{
    public const int MaxPageSize = 50;

    public async Task<Outcome<(CustomerOrderView Order, bool Created)>> PlaceAsync(Guid customerId, PlaceOrderRequest request, CancellationToken ct)
    {
        if (request.QuoteId is not { } quoteId) return Refused(customerId, Failure.BadRequest("quoteId", "quoteId is required: the id POST /api/quotes answered."));
        await using var db = await dbs.CreateDbContextAsync(ct);
        var quote = await db.Set<QuoteRecord>().AsNoTracking().FirstOrDefaultAsync(q => q.Id == quoteId && q.CustomerId == customerId, ct);
        if (quote is null) return Refused(customerId, Failure.NotFound($"Quote {quoteId} does not exist."));
        var placed = await db.Orders.AsNoTracking().Where(o => o.QuoteId == quoteId).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
        if (placed is { } already)
        {
            // A retry of a placed order: the same answer, nothing new.
            var existing = await ViewAsync(customerId, already, ct);
            return existing is null ? Failure.NotFound($"Quote {quoteId} does not exist.") : (existing, false);
        }
        var view = QuoteCoordinator.View(quote);
        var quoted = new QuotedTrip(quote.ServiceId, [.. Places(view)]);
        var refusal = QuoteRules.Check(quoted, quote.ExpiresAt, Requested(request, quoted), clock.GetUtcNow());
        if (refusal is not null)
        {
            var title = refusal.Contains("expired", StringComparison.Ordinal) ? "Quote expired" : "Order differs from the quote";
            return Refused(customerId, new Failure(StatusCodes.Status409Conflict, title, refusal));
        }
        if (quote.ServiceKind == ServiceKind.BuyForMe && request.BuyForMe is null)
            return Refused(customerId, Failure.BadRequest("buyForMe", "A buy-for-me errand needs buyForMe: {priceCapCents, shoppingList}."));
        if (quote.ServiceKind != ServiceKind.BuyForMe && request.BuyForMe is not null)
            return Refused(customerId, Failure.BadRequest("buyForMe", $"Service '{quote.ServiceId}' is not a buy-for-me errand; leave buyForMe out or get a buy-for-me quote."));

        var phone = string.IsNullOrWhiteSpace(request.ContactPhone)
            ? await db.Set<CustomerRecord>().AsNoTracking().Where(c => c.Id == customerId).Select(c => c.Phone).FirstAsync(ct)
            : request.ContactPhone;
        var create = new CreateOrderRequest(
            quote.ServiceKind == ServiceKind.Frozen ? OrderKind.Frozen : OrderKind.Errand,
            Dto(view.Pickup), Dto(view.Dropoff), request.ContactName, phone, request.Items,
            PromisedAt: clock.GetUtcNow().AddMinutes(quote.EtaMinutes), RequiresColdChain: quote.ServiceKind == ServiceKind.Frozen,
            BuyForMe: request.BuyForMe,
            Stops: view.Stops.Length == 0 ? null : [.. view.Stops.Select(s => new StopRequest(s.Lat, s.Lon, s.Address, s.Action, s.Note))],
            CustomerLanguage: request.Language);
        // One order per quote: the quote id is the idempotency key, so a retry returns the order made first.
        var created = await orders.CreateAsync(options.Value.MerchantId, $"quote-{quoteId:N}", create, new CustomerOrigin(customerId, quoteId, view.Lines, quote.TotalCents, quote.Currency), ct);
        if (!created.Ok) return Refused(customerId, created.Failure!);
        LogPlaced(logger, customerId, created.Value.Order.FormatNumber(), quoteId, quote.TotalCents, quote.Currency);
        var events = (await orders.GetAsync(created.Value.Order.Id, ct))?.Events ?? [];
        return (ToView(created.Value.Order, events, quote), created.Value.Created);
    }

    /// <summary>The customer's orders newest first, <paramref name="limit"/> at a time, those numbered below <paramref name="before"/>.</summary>
    public async Task<CustomerOrderPage> ListAsync(Guid customerId, long? before, int limit, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Live and archived together, numbers descending: one keyset over both halves, so no order is listed twice or skipped.
        var query = Archive.OrderReader.Everywhere(db).AsNoTracking().Where(o => o.CustomerId == customerId);
        if (before is { } b) query = query.Where(o => o.Number < b);
        var rows = await query.OrderByDescending(o => o.Number).Take(limit + 1).ToListAsync(ct);
        var quoteIds = rows.Where(o => o.QuoteId is not null).Select(o => o.QuoteId!.Value).ToList();
        var quotes = await db.Set<QuoteRecord>().AsNoTracking().Where(q => quoteIds.Contains(q.Id))
            .Select(q => new { q.Id, q.ServiceId, q.TotalCents, q.Currency }).ToDictionaryAsync(q => q.Id, ct);
        var page = rows.Take(limit).Select(o =>
        {
            var q = o.QuoteId is { } id ? quotes.GetValueOrDefault(id) : null;
            return new CustomerOrderSummary(o.Id, o.FormatNumber(), o.Status, q?.ServiceId, o.PickupAddress, o.DropoffAddress, o.CreatedAt,
                q?.TotalCents, q?.Currency, o.RatingStars, TrackingUrl(o), o.PaymentState, o.RefundedCents, CustomerCancelRules.MayCancel(o.Status));
        }).ToArray();
        return new CustomerOrderPage(page, rows.Count > limit ? rows[limit - 1].Number : null);
    }

    public async Task<CustomerOrderView?> ViewAsync(Guid customerId, Guid orderId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await Archive.OrderReader.GetAsync(db, orderId, archived: null, ct) is not { } f || f.Order.CustomerId != customerId) return null;
        var quote = f.Order.QuoteId is { } qid ? await db.Set<QuoteRecord>().AsNoTracking().FirstOrDefaultAsync(q => q.Id == qid, ct) : null;
        return ToView(f.Order, f.Events, quote);
    }

    public async Task<Outcome<RatingView>> RateAsync(Guid customerId, Guid orderId, int stars, string? comment, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var mine = await db.Orders.AsNoTracking().AnyAsync(o => o.Id == orderId && o.CustomerId == customerId, ct);
        if (!mine) return Refused(customerId, Failure.NotFound($"Order {orderId} does not exist."));
        return await ratings.RateAsync(orderId, stars, comment, ct);
    }

    /// <summary>
    /// Starts a payment of the customer's own order through the same coordinator as the merchants' route; the ownership
    /// check is here because a customer order's merchant is the shared customers account.
    /// </summary>
    public async Task<Outcome<StartedPayment>> PayAsync(Guid customerId, Guid orderId, StartPaymentRequest request, string? payerIp, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var mine = await db.Orders.AsNoTracking().AnyAsync(o => o.Id == orderId && o.CustomerId == customerId, ct);
        if (!mine) return Refused(customerId, Failure.NotFound($"Order {orderId} does not exist."));
        var started = await payments.StartAsync(orderId, merchantScope: null, request, payerIp, ct);
        return started.Ok ? started : Refused(customerId, started.Failure!);
    }

    /// <summary>
    /// Cancels the customer's own order through the ordinary cancel path (which refunds a paid order in full through
    /// the refund consumer), only while no courier has accepted it.
    /// </summary>
    public async Task<Outcome<OrderStatus>> CancelAsync(Guid customerId, Guid orderId, string? reason, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var mine = await db.Orders.AsNoTracking().AnyAsync(o => o.Id == orderId && o.CustomerId == customerId, ct);
        if (!mine) return Refused(customerId, Failure.NotFound($"Order {orderId} does not exist."));
        // The customer's rule is checked by the cancel itself, on the status its conditional update is made on: a courier's
        // accept landing between a check here and the update would otherwise be cancelled under them.
        var cancelled = await orders.CancelAsync(orderId, $"customer:{customerId}", merchantScope: null,
            string.IsNullOrWhiteSpace(reason) ? "cancelled by the customer" : reason.Trim(), audit: null,
            static (status, number) => CustomerCancelRules.Refusal(status, number) is { } refusal
                ? new Failure(StatusCodes.Status409Conflict, "Order cannot be cancelled", refusal) : null, ct);
        return cancelled.Ok ? cancelled : Refused(customerId, cancelled.Failure!);
    }

    private CustomerOrderView ToView(OrderRecord o, List<OrderEventRecord> events, QuoteRecord? quote)
    {
        var pickup = OrderEvents.ToLatLon(o.Pickup);
        var dropoff = OrderEvents.ToLatLon(o.Dropoff);
        return new CustomerOrderView(
            o.Id, o.FormatNumber(), o.Status, o.Kind, o.Zone,
            new PlaceDto(pickup.Lat, pickup.Lon, o.PickupAddress), new PlaceDto(dropoff.Lat, dropoff.Lon, o.DropoffAddress), OrderStops.Views(o),
            [.. o.Items], o.PromisedAt, o.CreatedAt, o.Pin, TrackingUrl(o), o.TrackingExpiresAt,
            quote is null ? null : QuoteCoordinator.View(quote), JobFactory.BuyForMeOf(o, dispatch.Value.Currency), JobFactory.RatingOf(o),
            CustomerView.Timeline([.. events.Select(OrderEvents.ToEvent)]),
            o.PaymentState, o.PaidCents, o.RefundedCents, CustomerCancelRules.MayCancel(o.Status), o.PaymentMethod, o.PaidAt, o.RefundedAt);
    }

    private string TrackingUrl(OrderRecord o) => $"/track/{orders.TrackingToken(o)}";

    private static IEnumerable<LatLon> Places(QuoteView q) => [new(q.Pickup.Lat, q.Pickup.Lon), .. q.Stops.Select(s => new LatLon(s.Lat, s.Lon)), new(q.Dropoff.Lat, q.Dropoff.Lon)];

    /// <summary>The trip the order repeats, to be checked against the quote; null when it repeats none of it.</summary>
    private static QuotedTrip? Requested(PlaceOrderRequest r, QuotedTrip quoted)
    {
        if (r.ServiceId is null && r.Pickup is null && r.Dropoff is null && r.Stops is null) return null;
        var places = new List<LatLon> { At(r.Pickup) ?? quoted.Places[0] };
        if (r.Stops is { } stops) places.AddRange(stops.Select(s => At(s is null ? null : new PlaceDto(s.Lat, s.Lon, null)) ?? new LatLon(double.NaN, double.NaN)));
        else places.AddRange(quoted.Places.Skip(1).Take(quoted.Places.Count - 2));
        places.Add(At(r.Dropoff) ?? quoted.Places[^1]);
        return new QuotedTrip(r.ServiceId ?? quoted.ServiceId, places);
    }

    private static LatLon? At(PlaceDto? p) => p is { Lat: { } lat, Lon: { } lon } ? new LatLon(lat, lon) : null;

    private static PlaceDto Dto(QuotePlace p) => new(p.Lat, p.Lon, p.Address);

    private Failure Refused(Guid customerId, Failure failure)
    {
        LogRefused(logger, customerId, failure.Title, failure.Detail);
        return failure;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {CustomerId} placed order {Number} from quote {QuoteId} ({TotalCents} {Currency})")]
    private static partial void LogPlaced(ILogger logger, Guid customerId, string number, Guid quoteId, int totalCents, string currency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {CustomerId} refused: {Title}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid customerId, string title, string reason);
}
