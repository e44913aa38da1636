using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Matching;
using Dispatch.Core.Orders;
using Dispatch.Server.Audit;
using Dispatch.Server.Common;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.ControlRoom;

/// <summary>
/// A dispatcher's hand on dispatch: assign an order to a courier of their choice, move it to another courier before
/// pickup, or move all of a courier's orders at once. Core decides legality (<see cref="OrderTrigger.Assign"/>) and
/// eligibility (<see cref="CandidateRanker.Exclude"/>); the change is one conditional UPDATE on the order row (same
/// status, same version, as read), so it cannot overwrite a courier's accept or step that happened in between.
/// </summary>
internal sealed partial class ReassignCoordinator(
    IDbContextFactory<DispatchDbContext> dbs,
    FleetReader locator,
    OnlineCouriers sessions,
    AssignmentBook assignments,
    Routing.RoutePlanner routes,
    Routing.TravelTimes travelTimes,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    ILogger<ReassignCoordinator> logger)
{
    /// <summary>The outcome of one assignment.</summary>
    public sealed record Assigned(Guid OrderId, string Number, OrderStatus Status, Guid CourierId, string CourierName, Guid? PreviousCourierId);

    /// <summary>An order of a bulk move that stayed: why.</summary>
    public sealed record Kept(Guid OrderId, string Number, OrderStatus Status, string Reason);

    /// <summary>The outcome of moving all of a courier's orders.</summary>
    public sealed record BulkResult(Guid FromCourierId, Assigned[] Moved, Kept[] Kept);

    /// <summary>Assigns or reassigns one order; audited as order.assign or order.reassign by <paramref name="audit"/> (null inside a move-all, audited whole).</summary>
    public async Task<Outcome<Assigned>> AssignAsync(Guid orderId, Guid courierId, string actor, string? reason, AuditActor? audit, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return Failure.NotFound($"Order {orderId} does not exist.");
        var number = order.FormatNumber();
        var transition = OrderStateMachine.Apply(order.Status, OrderTrigger.Assign);
        if (!transition.IsAllowed) return Refused(number, actor, Failure.Conflict($"Order {number} cannot be assigned: {transition.Error}"));
        var previous = OrderStateMachine.IsAssigned(order.Status) ? order.CourierId : null;
        if (previous == courierId) return Refused(number, actor, Failure.Conflict($"Order {number} is already with this courier."));

        var courier = await db.Couriers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == courierId, ct);
        if (courier is null) return Refused(number, actor, Failure.NotFound($"Courier {courierId} is not registered."));
        var snapshot = await locator.GetAsync(courierId);
        var now = clock.GetUtcNow();
        if (snapshot is null || snapshot.Activity == CourierActivity.Offline)
            return Refused(number, actor, Failure.Conflict($"{courier.Name} is offline; pick a courier who is online."));
        if (snapshot.Zone != order.Zone)
            return Refused(number, actor, Failure.Conflict($"{courier.Name} works in zone {snapshot.Zone}, the order is in {order.Zone}."));
        var request = new DispatchRequest(order.Id, order.Kind, order.RequiresColdChain, OrderEvents.ToLatLon(order.Pickup), new HashSet<Guid>());
        if (CandidateRanker.Exclude(request, snapshot, now, TimeSpan.FromSeconds(options.Value.StaleAfterSeconds)) is { } why)
            return Refused(number, actor, Failure.Conflict($"{courier.Name} cannot take order {number}: {why}."));

        var note = previous is { } from
            ? $"reassigned by dispatcher from courier {from:N} to {courier.Name}" + (string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}")
            : $"assigned by dispatcher to {courier.Name}" + (string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}");
        List<(Guid OfferId, Guid CourierId)> withdrawn;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // The same row lock the accept takes: a courier accepting at this moment either wins first (we see another version and refuse) or loses.
            var moved = await OrderTransitions.MoveAsync(db, new OrderMove(OrderHead.Of(order), OrderTrigger.Assign, actor, now)
            {
                Note = note,
                OnVersion = true,
                NewCourierId = courierId,
            }, ct);
            if (!moved)
            {
                await tx.RollbackAsync(ct);
                return Refused(number, actor, Failure.Conflict($"Order {number} changed while it was being assigned; look at it again and retry."));
            }
            if (audit is not null)
            {
                await AuditTrail.WriteAsync(db.Database, audit, previous is null ? "order.assign" : "order.reassign", $"order:{orderId}", now,
                    new { status = order.Status, courierId = previous }, new { status = OrderStatus.Accepted, courierId, reason }, ct);
            }
            // Only this order leaves a bundle offer it was part of: the rest stays offered to its courier.
            withdrawn = await OfferBundles.WithdrawOrderAsync(db, orderId, "assigned by a dispatcher", now, ct);
            // The couriers hear of it from the outbox (OfferPushes), in the order's order: a push after the commit could fail
            // (Redis away, the backplane) and report a committed reassignment as not carried out, or be lost to a crash.
            var told = string.IsNullOrWhiteSpace(reason) ? "A dispatcher assigned this order to another courier." : $"A dispatcher assigned this order to another courier: {reason}";
            foreach (var (offerId, offeredTo) in withdrawn)
            {
                OutboxWriter.Add(db, OutboxKinds.OfferWithdrawn, orderId,
                    new OfferWithdrawal(offerId, orderId, offeredTo, offeredTo == courierId ? "A dispatcher assigned this order to you." : told), now);
            }
            if (previous is { } oldCourier) OutboxWriter.Add(db, OutboxKinds.OrderReassigned, orderId, new OrderReassignment(orderId, order.Number, oldCourier, reason ?? ""), now);
            OutboxWriter.Add(db, OutboxKinds.JobAssigned, orderId, new JobAssignment(orderId, courierId, reason ?? ""), now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        // Both couriers' loads and the books of the nodes holding them follow from the outbox (Couriers/CourierLoadEffects).
        // Only the new courier's entry is put in this node's book at once: the route planned below attaches to it.
        var updated = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == orderId, ct);
        sessions.OrdersKnownNow(courierId);
        assignments.Upsert(courierId, new Assignment(orderId, OrderEvents.ToLatLon(updated.Pickup), OrderEvents.ToLatLon(updated.Dropoff), OrderStatus.Accepted,
            Via: OrderStops.Remaining(updated)));
        LogAssigned(logger, number, courierId, previous, actor);
        await routes.TryPlanAsync(orderId, courierId, previous is null ? "assigned" : "reassigned", ct);
        return new Assigned(orderId, number, OrderStatus.Accepted, courierId, courier.Name, previous);
    }

    /// <summary>
    /// Moves every order a courier has not picked up yet to <paramref name="toCourierId"/>, or to the best other courier per
    /// order by the dispatch ranking. Orders already picked up stay (the goods are with the courier).
    /// </summary>
    public async Task<Outcome<BulkResult>> ReassignAllAsync(Guid fromCourierId, Guid? toCourierId, string actor, string? reason, AuditActor audit, CancellationToken ct)
    {
        if (toCourierId == fromCourierId) return Failure.BadRequest("toCourierId", "Pick a different courier to move the orders to.");
        List<OrderRecord> active;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (!await db.Couriers.AnyAsync(c => c.Id == fromCourierId, ct)) return Failure.NotFound($"Courier {fromCourierId} is not registered.");
            active = await db.Orders.AsNoTracking()
                .Where(o => o.CourierId == fromCourierId && (o.Status == OrderStatus.Accepted || o.Status == OrderStatus.ArrivedAtPickup
                    || o.Status == OrderStatus.PickedUp || o.Status == OrderStatus.InTransit || o.Status == OrderStatus.ArrivedAtDropoff))
                .OrderBy(o => o.PromisedAt).ToListAsync(ct);
        }
        var moved = new List<Assigned>();
        var kept = new List<Kept>();
        foreach (var order in active)
        {
            var number = order.FormatNumber();
            if (!OrderStateMachine.Apply(order.Status, OrderTrigger.Assign).IsAllowed)
            {
                kept.Add(new Kept(order.Id, number, order.Status, "already picked up: the goods are with the courier"));
                continue;
            }
            var target = toCourierId ?? await BestOtherCourierAsync(order, fromCourierId);
            if (target is null)
            {
                kept.Add(new Kept(order.Id, number, order.Status, "no other eligible courier nearby"));
                continue;
            }
            var outcome = await AssignAsync(order.Id, target.Value, actor, reason, null, ct);
            if (outcome.Ok) moved.Add(outcome.Value!);
            else kept.Add(new Kept(order.Id, number, order.Status, outcome.Failure!.Detail));
        }
        if (moved.Count > 0)
        {
            // One row for the dispatcher's one action; each order's own timeline has its move.
            await using var db = await dbs.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await AuditTrail.WriteAsync(db.Database, audit, "courier.move-all", $"courier:{fromCourierId}", clock.GetUtcNow(),
                new { orders = moved.Select(m => m.OrderId) }, new { moved = moved.Select(m => new { m.OrderId, m.CourierId }), kept = kept.Count, reason }, ct);
            await tx.CommitAsync(ct);
        }
        LogBulk(logger, fromCourierId, moved.Count, kept.Count, actor);
        return new BulkResult(fromCourierId, [.. moved], [.. kept]);
    }

    /// <summary>The dispatch ranking's best courier for the order, never <paramref name="excluded"/>; widening the search as dispatch does.</summary>
    private async Task<Guid?> BestOtherCourierAsync(OrderRecord order, Guid excluded)
    {
        var o = options.Value;
        var request = new DispatchRequest(order.Id, order.Kind, order.RequiresColdChain, OrderEvents.ToLatLon(order.Pickup), new HashSet<Guid> { excluded });
        foreach (var radius in o.SearchRings)
        {
            var candidates = await locator.NearestAsync(order.Zone, request.Pickup, radius, o.CandidateCount);
            var ranking = CandidateRanker.Rank(request, candidates, clock.GetUtcNow(), TimeSpan.FromSeconds(o.StaleAfterSeconds), travelTimes.For(order.Zone));
            if (ranking.Eligible.Count > 0) return ranking.Eligible[0].CourierId;
        }
        return null;
    }

    private Failure Refused(string number, string actor, Failure failure)
    {
        LogRefused(logger, number, actor, failure.Detail);
        return failure;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {Number} assigned to courier {CourierId} (before: {Previous}) by {Actor}")]
    private static partial void LogAssigned(ILogger logger, string number, Guid courierId, Guid? previous, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigning order {Number} by {Actor} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string number, string actor, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orders of courier {CourierId} moved by {Actor}: {Moved} moved, {Kept} kept")]
    private static partial void LogBulk(ILogger logger, Guid courierId, int moved, int kept, string actor);
}
