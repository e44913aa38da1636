using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Core.Contracts;
using Dispatch.Core.Orders;
using Dispatch.Core.Zones;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Hubs;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Orders;

/// <summary>Creates orders idempotently, marks them paid (which starts dispatch) and reads them back with their timeline.</summary>
internal sealed partial class OrderCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    ZoneMap zones,
    TrackingLinks links,
    IOrderDispatch dispatch,
    TimeProvider clock,
    IOptions<AuthOptions> auth,
    IOptions<DispatchOptions> options,
    Privacy.PersonalData personal,
    IOptions<Notifications.Customers.CustomerNotificationOptions> notifications,
    ILogger<OrderCoordinator> logger)
{
    /// <summary>Creates an order, or returns the one made earlier with the same key (Created = false).</summary>
    public Task<Outcome<(OrderRecord Order, bool Created)>> CreateAsync(string merchantId, string? idempotencyKey, CreateOrderRequest request, CancellationToken ct) =>
        CreateAsync(merchantId, idempotencyKey, request, null, ct);

    /// <summary>As above; <paramref name="origin"/>: the customer and quote of an order placed in the customer app.</summary>
    public async Task<Outcome<(OrderRecord Order, bool Created)>> CreateAsync(
        string merchantId, string? idempotencyKey, CreateOrderRequest request, CustomerOrigin? origin, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 128)
            return Failure.BadRequest("Idempotency-Key", "Send an Idempotency-Key header (1–128 characters) so a retry never creates a second order.");
        var now = clock.GetUtcNow();
        var validated = OrderRequestValidator.Validate(request, zones, now, options.Value.DefaultCountryCallingCode);
        if (!validated.Ok) return validated.Failure!;
        var (pickup, dropoff, zone, stops, phone) = validated.Value;
        var contact = Notifications.Customers.CustomerContact.Validate(request, notifications.Value.DefaultLanguage);
        if (!contact.Ok) return contact.Failure!;
        // A customer's order carries its quote's price; a merchant's, the delivery fee it sent (none: unpriced).
        var price = origin is null ? OrderPricing.Validate(request, options.Value.Currency)
            : (origin.Lines, (int?)origin.TotalCents, (string?)origin.Currency);
        if (!price.Ok) return price.Failure!;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request))));

        await using var db = await dbs.CreateDbContextAsync(ct);
        var existing = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.MerchantId == merchantId && o.IdempotencyKey == idempotencyKey, ct);
        if (existing is not null) return Replay(existing, hash);

        var kind = request.Kind!.Value;
        var order = new OrderRecord
        {
            Id = Guid.CreateVersion7(),
            MerchantId = merchantId,
            IdempotencyKey = idempotencyKey,
            RequestHash = hash,
            Zone = zone.Name,
            Kind = kind,
            RequiresColdChain = kind == OrderKind.Frozen || request.RequiresColdChain == true,
            Pickup = OrderEvents.ToPoint(pickup),
            PickupAddress = request.Pickup!.Address?.Trim() ?? "",
            Dropoff = OrderEvents.ToPoint(dropoff),
            DropoffAddress = request.Dropoff!.Address?.Trim() ?? "",
            CustomerName = request.CustomerName?.Trim() ?? "",
            CustomerPhone = phone,
            CustomerPhoneHash = personal.PhoneHash(phone),
            CustomerPhoneSuffixHash = personal.PhoneSuffixHash(phone),
            CustomerLanguage = contact.Value.Language,
            CustomerEmail = contact.Value.Email,
            CustomerWeChatOpenId = contact.Value.OpenId,
            Items = [.. request.Items ?? []],
            Pin = RandomNumberGenerator.GetInt32(0, 10_000).ToString("0000", System.Globalization.CultureInfo.InvariantCulture),
            PromisedAt = (request.PromisedAt ?? now.AddMinutes(45)).ToUniversalTime(),
            ReadyAt = request.ReadyAt?.ToUniversalTime(),
            CreatedAt = now,
            TrackingExpiresAt = DateTimeOffset.FromUnixTimeSeconds(now.AddHours(auth.Value.TrackingLinkHours).ToUnixTimeSeconds()),
            PriceCapCents = request.BuyForMe?.PriceCapCents,
            ShoppingList = request.BuyForMe?.ShoppingList?.Trim(),
            Stops = OrderStops.Write(stops),
            PriceLines = OrderPricing.WriteLines(price.Value.Lines),
            PriceCents = price.Value.Cents,
            Currency = price.Value.Currency,
            CustomerId = origin?.CustomerId,
            QuoteId = origin?.QuoteId,
        };
        try
        {
            await OrderTransitions.AddCreatedAsync(db, order, origin is null ? $"merchant:{merchantId}" : $"customer:{origin.CustomerId}", pickup, ct);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two retries raced; the other one created it.
            await using var again = await dbs.CreateDbContextAsync(ct);
            var winner = await again.Orders.AsNoTracking().FirstAsync(o => o.MerchantId == merchantId && o.IdempotencyKey == idempotencyKey, ct);
            return Replay(winner, hash);
        }
        LogCreated(logger, order.FormatNumber(), merchantId, kind, zone.Name, order.PriceCapCents, stops.Count);
        return (order, true);
    }

    /// <summary>The payment provider confirmed payment: Placed → Paid, then dispatch starts. Paying twice is harmless.</summary>
    public async Task<Outcome<OrderStatus>> MarkPaidAsync(Guid orderId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return Failure.NotFound($"Order {orderId} does not exist.");
        if (order.Status != OrderStatus.Placed)
        {
            if (order.Status is OrderStatus.Cancelled) return Failure.Conflict(OrderStateMachine.Apply(order.Status, OrderTrigger.Pay).Error!);
            return order.Status; // a repeated callback: already paid, nothing changes
        }
        var now = clock.GetUtcNow();
        bool moved;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            moved = await OrderTransitions.MoveAsync(db, new OrderMove(OrderHead.Of(order), OrderTrigger.Pay, "payment", now), ct);
            await tx.CommitAsync(ct);
        }
        // Lost to a cancellation (the unpaid expiry, say) between the read and the update: refused like one read before it.
        if (!moved && await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => o.Status).FirstAsync(ct) is OrderStatus.Cancelled)
            return Failure.Conflict(OrderStateMachine.Apply(OrderStatus.Cancelled, OrderTrigger.Pay).Error!);
        await dispatch.DispatchAsync(orderId, ct);
        return OrderStatus.Paid;
    }

    /// <summary>
    /// Cancels an order before pickup: open offers are withdrawn, an assigned courier is told, the tracking link winds down.
    /// A dispatcher's or admin's cancel is audited (<paramref name="audit"/>); a merchant's own is in the order's timeline.
    /// </summary>
    public Task<Outcome<OrderStatus>> CancelAsync(Guid orderId, string actor, string? merchantScope, string reason, Audit.AuditActor? audit, CancellationToken ct) =>
        CancelAsync(orderId, actor, merchantScope, reason, audit, refusal: null, ct);

    /// <summary>
    /// As above; <paramref name="refusal"/>: the caller's own rule on the status (a customer may cancel only until a courier
    /// accepts). It is asked of the same read the conditional update is made on, so a courier's accept or pickup in between
    /// makes the cancel lose (409, saying what the order became) instead of slipping past the rule.
    /// </summary>
    public async Task<Outcome<OrderStatus>> CancelAsync(Guid orderId, string actor, string? merchantScope, string reason, Audit.AuditActor? audit,
        Func<OrderStatus, string, Failure?>? refusal, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null || (merchantScope is not null && order.MerchantId != merchantScope)) return Failure.NotFound($"Order {orderId} does not exist.");
        if (CancelRefusal(order.Status, order.FormatNumber(), refusal) is { } refused) return Refused(order.FormatNumber(), actor, refused);

        var now = clock.GetUtcNow();
        var trackingExpiry = now.AddMinutes(auth.Value.TrackingGraceMinutes);
        if (trackingExpiry > order.TrackingExpiresAt) trackingExpiry = order.TrackingExpiresAt;
        List<(Guid OfferId, Guid CourierId)> withdrawn;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // On the version too: a reassignment keeps the status but changes the courier whose load and list this cancel frees.
            var moved = await OrderTransitions.MoveAsync(db, new OrderMove(OrderHead.Of(order), OrderTrigger.Cancel, actor, now)
            {
                OnVersion = true,
                Note = reason,
                Set = s => s.SetProperty(o => o.TrackingExpiresAt, trackingExpiry),
            }, ct);
            if (!moved)
            {
                await tx.RollbackAsync(ct);
                var current = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => o.Status).FirstAsync(ct);
                return Refused(order.FormatNumber(), actor, CancelRefusal(current, order.FormatNumber(), refusal) ?? Failure.Conflict(
                    $"Order {order.FormatNumber()} changed while it was being cancelled (it is now {current}); look at it again and cancel again if you still want to."));
            }
            if (audit is not null)
            {
                await Audit.AuditTrail.WriteAsync(db.Database, audit, "order.cancel", $"order:{orderId}", now,
                    new { status = order.Status, courierId = order.CourierId }, new { status = OrderStatus.Cancelled, reason }, ct);
            }
            // Only this order leaves a bundle offer it was part of: the rest stays offered to its courier.
            withdrawn = await OfferBundles.WithdrawOrderAsync(db, orderId, "order cancelled", now, ct);
            // The couriers hear of it from the outbox (OfferPushes): a push after the commit could fail (Redis away, the
            // backplane) and report a committed cancel as not carried out, or be lost to a crash.
            foreach (var (offerId, courierId) in withdrawn)
            {
                OutboxWriter.Add(db, OutboxKinds.OfferWithdrawn, orderId, new OfferWithdrawal(offerId, orderId, courierId, $"The order was cancelled: {reason}"), now);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        LogCancelled(logger, order.FormatNumber(), actor, reason);
        return OrderStatus.Cancelled;
    }

    /// <summary>Why an order in <paramref name="status"/> cannot be cancelled (the caller's rule first, then the lifecycle's); null when it can.</summary>
    private static Failure? CancelRefusal(OrderStatus status, string number, Func<OrderStatus, string, Failure?>? refusal)
    {
        if (refusal?.Invoke(status, number) is { } mine) return mine;
        var transition = OrderStateMachine.Apply(status, OrderTrigger.Cancel);
        return transition.IsAllowed ? null : Failure.Conflict(transition.Error!);
    }

    private Failure Refused(string number, string actor, Failure failure)
    {
        LogCancelRefused(logger, number, actor, failure.Detail);
        return failure;
    }

    public async Task<(OrderRecord Order, List<OrderEventRecord> Events)?> GetAsync(Guid orderId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return null;
        var events = await db.OrderEvents.AsNoTracking().Where(e => e.OrderId == orderId).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        return (order, events);
    }

    public string TrackingToken(OrderRecord order) => links.Create(order.Id, order.TrackingExpiresAt);

    private static Outcome<(OrderRecord, bool)> Replay(OrderRecord existing, string hash) =>
        existing.RequestHash == hash
            ? (existing, false)
            : Failure.Conflict($"Idempotency-Key was already used for order {existing.FormatNumber()} with a different request; use a new key for a new order.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel of order {Number} by {Actor} refused: {Reason}")]
    private static partial void LogCancelRefused(ILogger logger, string number, string actor, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} cancelled by {Actor}: {Reason}")]
    private static partial void LogCancelled(ILogger logger, string number, string actor, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} created by merchant {MerchantId}: {Kind} in zone {Zone}, buy-for-me cap {PriceCapCents} cents, {Stops} stops")]
    private static partial void LogCreated(ILogger logger, string number, string merchantId, OrderKind kind, string zone, int? priceCapCents, int stops);
}
