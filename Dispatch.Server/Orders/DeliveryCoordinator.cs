using System.Security.Cryptography;
using System.Text;
using Dispatch.Core.Contracts;
using Dispatch.Core.Errands;
using Dispatch.Core.Orders;
using Dispatch.Server.Auth;
using Dispatch.Server.Common;
using Dispatch.Server.Couriers;
using Dispatch.Server.Persistence;
using Dispatch.Server.Tracking;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Orders;

/// <summary>
/// The courier's steps on an accepted order: arrived at pickup, picked up, delivered with the PIN (only once a buy-for-me
/// receipt is approved and every stop of a multi-stop errand is done).
/// Core decides whether the step is legal; the update is conditional on the status read, so nothing is lost to a race.
/// </summary>
public sealed partial class DeliveryCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    OnlineCouriers sessions,
    CourierLoad load,
    AssignmentBook assignments,
    IHubContext<TrackingHub, ITrackingClient> trackingHub,
    TimeProvider clock,
    IOptions<AuthOptions> auth,
    IOptions<DispatchOptions> dispatchOptions,
    ILogger<DeliveryCoordinator> logger)
{
    public Task<Outcome<OrderStepResult>> ArrivedAtPickupAsync(Guid courierId, Guid orderId, CancellationToken ct) =>
        StepAsync(courierId, orderId, OrderTrigger.ArriveAtPickup, pin: null, ct);

    public Task<Outcome<OrderStepResult>> PickedUpAsync(Guid courierId, Guid orderId, CancellationToken ct) =>
        StepAsync(courierId, orderId, OrderTrigger.PickUp, pin: null, ct);

    public Task<Outcome<OrderStepResult>> DeliveredAsync(Guid courierId, Guid orderId, string? pin, CancellationToken ct) =>
        StepAsync(courierId, orderId, OrderTrigger.Deliver, pin ?? "", ct);

    private async Task<Outcome<OrderStepResult>> StepAsync(Guid courierId, Guid orderId, OrderTrigger trigger, string? pin, CancellationToken ct)
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
        var stops = Errands.OrderStops.Read(order);
        if (trigger == OrderTrigger.Deliver && StopRules.BlocksDelivery(order.FormatNumber(), stops) is { } openStop)
        {
            // Stops only ever go from open to done, so a stop read open here cannot have been done by a racing call we missed.
            LogRefused(logger, order.FormatNumber(), courierId, trigger, openStop);
            return Failure.Conflict(openStop);
        }
        if (pin is not null && !PinMatches(order.Pin, pin))
        {
            LogWrongPin(logger, order.FormatNumber(), courierId);
            return Failure.BadRequest("pin", $"Wrong PIN for order {order.FormatNumber()}; ask the customer for the 4-digit code. The order stays {order.Status}.");
        }

        var to = transition.To!.Value;
        var now = clock.GetUtcNow();
        var position = sessions.Find(courierId)?.LastFix?.Position;
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
            var rows = await db.Orders.Where(x => x.Id == orderId && x.Status == order.Status && x.CourierId == courierId && x.ReceiptState == order.ReceiptState)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, to).SetProperty(x => x.TrackingExpiresAt, trackingExpiry)
                    .SetProperty(x => x.EtaAtPickup, etaAtPickup).SetProperty(x => x.DeliveredAt, deliveredAt).SetProperty(x => x.CourierFeeCents, fee)
                    .SetProperty(x => x.Version, x => x.Version + 1), ct);
            if (rows == 0)
            {
                await tx.RollbackAsync(ct);
                return Failure.Conflict($"Order {order.FormatNumber()} changed while you were updating it; refresh and try again.");
            }
            db.OrderEvents.Add(OrderEvents.Create(orderId, to, now, $"courier:{courierId:N}", position));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        assignments.UpdateStatus(courierId, orderId, to);
        if (to == OrderStatus.PickedUp) await load.ChangeAsync(courierId, 0, +1);
        if (to == OrderStatus.Delivered) await load.ChangeAsync(courierId, -1, -1);
        await trackingHub.Clients.Group(TrackingGroups.Order(orderId)).StatusChanged(new OrderStatusChanged(orderId, to, now));
        LogStep(logger, order.FormatNumber(), courierId, to);
        return new OrderStepResult(orderId, to, now);
    }

    /// <summary>Seconds from here to the drop-off: along the planned route when there is one, else straight line.</summary>
    private int SecondsToDropoff(Guid courierId, Guid orderId, Dispatch.Core.Geo.LatLon here, OrderRecord order)
    {
        var route = assignments.For(courierId).Find(a => a.OrderId == orderId)?.Route;
        return route?.RemainingSeconds(here)
            ?? Eta.ToDropoffSeconds(OrderStatus.PickedUp, here, OrderEvents.ToLatLon(order.Pickup), OrderEvents.ToLatLon(order.Dropoff),
                dispatchOptions.Value.EtaSpeedMetresPerSecond, Errands.OrderStops.Remaining(order));
    }

    private static bool PinMatches(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given.Trim()));

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} is now {Status} (courier {CourierId})")]
    private static partial void LogStep(ILogger logger, string number, Guid courierId, OrderStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Number}: courier {CourierId} {Trigger} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string number, Guid courierId, OrderTrigger trigger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {Number}: wrong PIN from courier {CourierId}")]
    private static partial void LogWrongPin(ILogger logger, string number, Guid courierId);
}
