using System.Security.Cryptography;
using System.Text;
using Dispatch.Core.Contracts;
using Dispatch.Core.Errands;
using Dispatch.Core.Orders;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Fleet;
using Dispatch.Server.Persistence;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Orders;

/// <summary>
/// The courier's steps on an accepted order: arrived at pickup, picked up, delivered with the PIN (only once a buy-for-me
/// receipt is approved and every stop of a multi-stop errand is done).
/// Core decides whether the step is legal; the update is conditional on the status read, so nothing is lost to a race.
/// </summary>
internal sealed partial class DeliveryCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    OnlineCouriers sessions,
    AssignmentBook assignments,
    TimeProvider clock,
    IOptions<AuthOptions> auth,
    IOptions<DispatchOptions> dispatchOptions,
    IOptions<Ledger.LedgerOptions> ledgerOptions,
    Dispatch.Core.Zones.ZoneMap zones,
    ILogger<DeliveryCoordinator> logger)
{
    public Task<Outcome<OrderStepResult>> ArrivedAtPickupAsync(Guid courierId, Guid orderId, CancellationToken ct) =>
        StepAsync(courierId, orderId, OrderTrigger.ArriveAtPickup, pin: null, ct);

    public Task<Outcome<OrderStepResult>> PickedUpAsync(Guid courierId, Guid orderId, CancellationToken ct) =>
        StepAsync(courierId, orderId, OrderTrigger.PickUp, pin: null, ct);

    public Task<Outcome<OrderStepResult>> DeliveredAsync(Guid courierId, Guid orderId, string? pin, CancellationToken ct) =>
        StepAsync(courierId, orderId, OrderTrigger.Deliver, pin ?? "", ct);

    /// <summary>
    /// A step that lost a race is read and decided again: what moved the order meanwhile is most often the left-pickup
    /// milestone (PickedUp → InTransit) from the courier's own fix, after which a delivery is still allowed; anything that
    /// forbids the step (a cancel, another courier) gets its own message on the next read.
    /// </summary>
    private async Task<Outcome<OrderStepResult>> StepAsync(Guid courierId, Guid orderId, OrderTrigger trigger, string? pin, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await TryStepAsync(courierId, orderId, trigger, pin, ct) is { } outcome) return outcome;
            if (attempt == MaxStepAttempts)
                return Failure.Conflict($"Order {await NumberAsync(orderId, ct)} kept changing while you were updating it; refresh and try again.");
        }
    }

    private const int MaxStepAttempts = 3;

    private async Task<string> NumberAsync(Guid orderId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return OrderRecord.FormatNumber(await db.Orders.Where(x => x.Id == orderId).Select(x => x.Number).FirstAsync(ct));
    }

    /// <summary>One read, decision and conditional write; null when the write found the order changed (nothing written, the PIN's try given back).</summary>
    private async Task<Outcome<OrderStepResult>?> TryStepAsync(Guid courierId, Guid orderId, OrderTrigger trigger, string? pin, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(x => x.Id == orderId, ct);
        if (order is null) return Failure.NotFound($"Order {orderId} does not exist.");
        if (order.CourierId != courierId) return Failure.Forbidden($"Order {order.FormatNumber()} is not assigned to you.");

        var transition = OrderStateMachine.Apply(order.Status, trigger);
        if (!transition.IsAllowed)
        {
            LogRefused(logger, order.FormatNumber(), courierId, trigger, transition.Error!);
            return Failure.Conflict(transition.Error!);
        }
        if (trigger == OrderTrigger.Deliver && ReceiptRules.BlocksDelivery(order.FormatNumber(), order.BuyForMe) is { } blocked)
        {
            LogRefused(logger, order.FormatNumber(), courierId, trigger, blocked);
            return Failure.Conflict(blocked);
        }
        var stops = OrderStops.Read(order);
        if (trigger == OrderTrigger.Deliver && StopRules.BlocksDelivery(order.FormatNumber(), stops) is { } openStop)
        {
            // Stops only ever go from open to done, so a stop read open here cannot have been done by a racing call we missed.
            LogRefused(logger, order.FormatNumber(), courierId, trigger, openStop);
            return Failure.Conflict(openStop);
        }
        var now = clock.GetUtcNow();
        var position = sessions.Find(courierId)?.LastFix?.Position;
        var pinTryTaken = false;
        if (pin is not null)
        {
            if (await CheckHandOverAsync(db, order, courierId, position, pin, now, ct) is { } refused) return refused;
            pinTryTaken = true;
        }

        var to = transition.To!.Value;
        var trackingExpiry = OrderStateMachine.IsTerminal(to) ? now.AddMinutes(auth.Value.TrackingGraceMinutes) : order.TrackingExpiresAt;
        if (trackingExpiry > order.TrackingExpiresAt) trackingExpiry = order.TrackingExpiresAt;

        var etaAtPickup = to == OrderStatus.PickedUp && position is { } here ? now.AddSeconds(SecondsToDropoff(courierId, orderId, here, order)) : order.EtaAtPickup;
        var deliveredAt = to == OrderStatus.Delivered ? now : order.DeliveredAt;
        var fee = to == OrderStatus.Delivered
            ? dispatchOptions.Value.Fees.FeeCents([OrderEvents.ToLatLon(order.Pickup), .. stops.Select(x => x.At), OrderEvents.ToLatLon(order.Dropoff)])
            : order.CourierFeeCents;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Conditional on the receipt state read too, so a delivery never slips past a receipt decision made in between.
            var receipt = order.ReceiptState;
            var moved = await OrderTransitions.MoveAsync(db, new OrderMove(OrderHead.Of(order), trigger, $"courier:{courierId:N}", now)
            {
                Position = position,
                OnCourier = true,
                Condition = x => x.ReceiptState == receipt,
                Set = s => s.SetProperty(x => x.TrackingExpiresAt, trackingExpiry)
                    .SetProperty(x => x.EtaAtPickup, etaAtPickup).SetProperty(x => x.DeliveredAt, deliveredAt).SetProperty(x => x.CourierFeeCents, fee)
                    .SetProperty(x => x.PinTries, x => pinTryTaken && x.PinTries > 0 ? x.PinTries - 1 : x.PinTries),
            }, ct);
            if (!moved)
            {
                await tx.RollbackAsync(ct);
                if (pinTryTaken) await GiveBackPinTryAsync(db, orderId, ct);
                return null;
            }
            // The courier's earnings are booked with the delivery: both commit or neither does.
            if (to == OrderStatus.Delivered)
                await Ledger.OrderBookings.DeliveredAsync(db, order, courierId, fee, dispatchOptions.Value.Currency, ledgerOptions.Value.Surcharges,
                    zones.ByName(order.Zone)?.TimeZone ?? dispatchOptions.Value.EarningsTimeZone, now, ct);
            await tx.CommitAsync(ct);
        }

        // The courier's own node: its book follows at once (the next position pushed says the new step); the load (a pickup
        // starts carrying, a delivery ends the order) follows from the outbox (Couriers/CourierLoadEffects).
        assignments.UpdateStatus(courierId, orderId, to);
        LogStep(logger, order.FormatNumber(), courierId, to);
        return new OrderStepResult(orderId, to, now);
    }

    /// <summary>
    /// The hand-over checks before a delivery: not locked, at the drop-off (or allowed anywhere by a dispatcher), and the
    /// PIN, compared only after its try is counted in the order's row by a conditional UPDATE — so concurrent calls on any
    /// node compare at most the allowed number of PINs. Null when the PIN is right; its try is then given back on delivery.
    /// </summary>
    private async Task<Failure?> CheckHandOverAsync(DispatchDbContext db, OrderRecord order, Guid courierId, Dispatch.Core.Geo.LatLon? position, string pin,
        DateTimeOffset now, CancellationToken ct)
    {
        var number = order.FormatNumber();
        var max = dispatchOptions.Value.PinMaxWrongTries;
        if (HandOverRules.IsLocked(order.PinTries, max)) return Refused(number, courierId, Failure.Conflict(HandOverRules.Locked(max)));
        var away = HandOverRules.PlaceRefusal(number, position, OrderEvents.ToLatLon(order.Dropoff), dispatchOptions.Value.DeliveryMaxDistanceMetres, order.AnyPlaceAllowed);
        if (away is not null) return Refused(number, courierId, Failure.Conflict(away));

        var counted = await db.Database.SqlQuery<int>($"""
            update orders set pin_tries = pin_tries + 1
            where id = {order.Id} and courier_id = {courierId} and pin_tries < {max}
            returning pin_tries as "Value"
            """).ToListAsync(ct);
        if (counted.Count == 0) return Refused(number, courierId, Failure.Conflict(HandOverRules.Locked(max)));
        if (PinMatches(order.Pin, pin)) return null;

        var tries = counted[0];
        LogWrongPin(logger, number, courierId, tries, max);
        if (HandOverRules.IsLocked(tries, max))
        {
            // The try that reached the limit locks: recorded once, with its time, for the board's alert and the timeline.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var locked = await db.Orders.Where(x => x.Id == order.Id && x.PinLockedAt == null && x.PinTries >= max)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.PinLockedAt, now), ct);
            if (locked > 0)
            {
                db.OrderEvents.Add(OrderEvents.Create(order.Id, order.Status, now, $"courier:{courierId:N}", position,
                    $"PIN entry locked after {max} wrong tries"));
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
            LogPinLocked(logger, number, courierId, max);
        }
        return Failure.BadRequest("pin", HandOverRules.WrongPin(number, order.Status, tries, max));
    }

    /// <summary>A right PIN whose delivery lost a race gives its counted try back.</summary>
    private static Task<int> GiveBackPinTryAsync(DispatchDbContext db, Guid orderId, CancellationToken ct) =>
        db.Orders.Where(x => x.Id == orderId && x.PinTries > 0).ExecuteUpdateAsync(s => s.SetProperty(x => x.PinTries, x => x.PinTries - 1), ct);

    private Failure Refused(string number, Guid courierId, Failure failure)
    {
        LogRefused(logger, number, courierId, OrderTrigger.Deliver, failure.Detail);
        return failure;
    }

    /// <summary>Seconds from here to the drop-off: along the planned route when there is one, else straight line.</summary>
    private int SecondsToDropoff(Guid courierId, Guid orderId, Dispatch.Core.Geo.LatLon here, OrderRecord order)
    {
        var route = assignments.For(courierId).Find(a => a.OrderId == orderId)?.Route;
        return route?.RemainingSeconds(here)
            ?? Eta.ToDropoffSeconds(OrderStatus.PickedUp, here, OrderEvents.ToLatLon(order.Pickup), OrderEvents.ToLatLon(order.Dropoff),
                dispatchOptions.Value.EtaSpeedMetresPerSecond, OrderStops.Remaining(order));
    }

    private static bool PinMatches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given.Trim()));

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} is now {Status} (courier {CourierId})")]
    private static partial void LogStep(ILogger logger, string number, Guid courierId, OrderStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Number}: courier {CourierId} {Trigger} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string number, Guid courierId, OrderTrigger trigger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Number}: wrong PIN from courier {CourierId} ({Tries} of {Max})")]
    private static partial void LogWrongPin(ILogger logger, string number, Guid courierId, int tries, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Number}: PIN entry locked after {Max} wrong tries from courier {CourierId}")]
    private static partial void LogPinLocked(ILogger logger, string number, Guid courierId, int max);
}
