using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;
using Dispatch.Server.Fleet;
using Dispatch.Server.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Couriers;

/// <summary>
/// The Redis side of a committed change of the orders a courier holds (an accept, a bundle's accept, a pickup, a delivery,
/// a failure, the cancel of an assigned order, a dispatcher's reassignment, a release by the sweep or a suspension), run by
/// the outbox relay on whichever node claimed the events. A courier whose session is on this node has their orders in
/// progress read from PostgreSQL, this node's book reconciled, their load set and their state written to Redis; for any
/// other courier their id goes on the courier-orders channel and the node holding them does the same
/// (<see cref="CourierOrdersSync"/>). Counts are read, never added up, so an event handed over again changes nothing.
/// One read and one Redis pipeline per batch; Redis away fails the batch, and the relay hands it over again.
/// </summary>
internal sealed class CourierLoadEffects(
    IDbContextFactory<DispatchDbContext> dbs,
    OnlineCouriers sessions,
    AssignmentBook assignments,
    FleetWriter writer,
    CourierChanges changes) : IOutboxConsumer
{
    public const string ConsumerName = "courier-load";

    /// <summary>Reads of a batch's couriers at most, when newer knowledge keeps landing first (then that newer one stands).</summary>
    private const int MaxReads = 3;

    public string Name => ConsumerName;

    public Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var couriers = new HashSet<Guid>();
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case OutboxKinds.OrderStatus:
                    var moved = e.Read<OrderMoved>();
                    if (!ChangesHolding(moved.From, moved.To) && moved.PreviousCourierId is null) break;
                    if (moved.CourierId is { } courier) couriers.Add(courier);
                    if (moved.PreviousCourierId is { } previous) couriers.Add(previous);
                    break;
                case OutboxKinds.OrderReassigned:
                    couriers.Add(e.Read<OrderReassignment>().CourierId);
                    break;
                case OutboxKinds.JobAssigned:
                    couriers.Add(e.Read<JobAssignment>().CourierId);
                    break;
            }
        }
        return couriers.Count == 0 ? Task.CompletedTask : ReloadAsync(couriers, tellOthers: true, ct);
    }

    /// <summary>Reloads the couriers among <paramref name="couriers"/> whose session is on this node; the others are left alone.</summary>
    public Task ReloadHereAsync(IReadOnlyCollection<Guid> couriers, CancellationToken ct) => ReloadAsync(couriers, tellOthers: false, ct);

    /// <summary>Whether a move changes the courier's load: they take or lose the order, or start or stop carrying it.</summary>
    private static bool ChangesHolding(OrderStatus from, OrderStatus to) =>
        OrderStateMachine.IsAssigned(from) != OrderStateMachine.IsAssigned(to) || OrderStateMachine.IsCarrying(from) != OrderStateMachine.IsCarrying(to);

    private async Task ReloadAsync(IReadOnlyCollection<Guid> couriers, bool tellOthers, CancellationToken ct)
    {
        var here = new List<OnlineCourier>(couriers.Count);
        var elsewhere = new List<Guid>();
        foreach (var id in couriers)
        {
            if (sessions.Find(id) is { } session) here.Add(session);
            else if (tellOthers) elsewhere.Add(id);
        }
        var states = new List<CourierSnapshot>(here.Count);
        // A read that lands after a newer one was applied (another batch's, or an order this node just put in its book) is
        // read again rather than applied over it; a few times at most, each read newer than the one it lost to.
        for (var attempt = 0; here.Count > 0 && attempt < MaxReads; attempt++)
        {
            var stamp = sessions.NextOrdersStamp(); // before the read
            var active = await ReadActiveAsync([.. here.Select(s => s.CourierId)], ct);
            var outdated = new List<OnlineCourier>();
            foreach (var session in here)
            {
                var orders = active[session.CourierId].ToList();
                lock (session.Sync)
                {
                    if (stamp < session.OrdersKnownAt)
                    {
                        outdated.Add(session);
                        continue;
                    }
                    session.OrdersKnownAt = stamp;
                    assignments.Reconcile(session.CourierId, [.. orders.Select(o =>
                        new Assignment(o.Id, OrderEvents.ToLatLon(o.Pickup), OrderEvents.ToLatLon(o.Dropoff), o.Status, Via: OrderStops.Remaining(o)))]);
                    session.ActiveOrders = orders.Count;
                    session.CarryingOrders = orders.Count(o => OrderStateMachine.IsCarrying(o.Status));
                    if (session.Online && session.ToSnapshot() is { } snapshot) states.Add(snapshot);
                }
            }
            here = outdated;
        }
        await writer.WriteLoadsAsync(states, elsewhere);
        foreach (var snapshot in states) changes.Raise(snapshot);
    }

    /// <summary>The orders in progress of <paramref name="couriers"/>, by courier: one query.</summary>
    private async Task<ILookup<Guid, OrderRecord>> ReadActiveAsync(Guid[] couriers, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var active = await db.Orders.AsNoTracking()
            // is_open: the partial index of held orders (ix_orders_held) answers it.
            .Where(o => o.IsOpen && o.CourierId != null && couriers.Contains(o.CourierId.Value) && (o.Status == OrderStatus.Accepted || o.Status == OrderStatus.ArrivedAtPickup
                || o.Status == OrderStatus.PickedUp || o.Status == OrderStatus.InTransit || o.Status == OrderStatus.ArrivedAtDropoff))
            .ToListAsync(ct);
        return active.ToLookup(o => o.CourierId!.Value);
    }
}
