using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Core.Routing;
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

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var couriers = new HashSet<Guid>();
        List<(Guid CourierId, Guid OrderId)>? routed = null;
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
                case OutboxKinds.RoutePlanned:
                    // Planned on the node that took the step, which need not hold the courier (a dispatcher's assignment over
                    // HTTP): the node that does attaches the stored route, so its position pushes follow the road.
                    var route = e.Read<RoutePlanned>();
                    if (route.Attached) break; // the usual case: planned where the courier is, in that book already
                    if (sessions.Find(route.CourierId) is null) couriers.Add(route.CourierId);
                    else if (assignments.For(route.CourierId).Any(a => a.OrderId == route.OrderId && (a.Route?.Version ?? 0) < route.Version))
                        (routed ??= []).Add((route.CourierId, route.OrderId));
                    break;
            }
        }
        if (couriers.Count > 0) await ReloadAsync(couriers, tellOthers: true, ct);
        if (routed is not null) await AttachStoredRoutesAsync(routed, ct);
    }

    /// <summary>
    /// Reloads the couriers among <paramref name="couriers"/> whose session is on this node (the others are left alone), and
    /// attaches the stored route of any order in their book without one (planned on another node).
    /// </summary>
    public async Task ReloadHereAsync(IReadOnlyCollection<Guid> couriers, CancellationToken ct)
    {
        await ReloadAsync(couriers, tellOthers: false, ct);
        List<(Guid, Guid)> missing = [];
        foreach (var courier in couriers)
        {
            if (sessions.Find(courier) is null) continue;
            foreach (var a in assignments.For(courier)) if (a.Route is null) missing.Add((courier, a.OrderId));
        }
        if (missing.Count > 0) await AttachStoredRoutesAsync(missing, ct);
    }

    /// <summary>The newest stored route of each order, attached to this node's book if it was planned for that courier and is newer.</summary>
    private async Task AttachStoredRoutesAsync(List<(Guid CourierId, Guid OrderId)> wanted, CancellationToken ct)
    {
        Guid[] orders = [.. wanted.Select(w => w.OrderId).Distinct()];
        await using var db = await dbs.CreateDbContextAsync(ct);
        var latest = await db.Routes.AsNoTracking()
            .Where(r => orders.Contains(r.OrderId) && r.Version == db.Routes.Where(x => x.OrderId == r.OrderId).Max(x => x.Version))
            .ToDictionaryAsync(r => r.OrderId, ct);
        foreach (var (courier, order) in wanted)
        {
            // A route planned for the order's previous courier is not this one's way; nor is a route with no length.
            if (!latest.TryGetValue(order, out var r) || r.CourierId != courier || !(r.DurationSeconds > 0 && r.DistanceMetres > 0)) continue;
            assignments.SetRoute(courier, order, new RouteTrack(r.Version, [.. r.Path.Coordinates.Select(c => new LatLon(c.Y, c.X))], r.DistanceMetres / r.DurationSeconds));
        }
    }

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
