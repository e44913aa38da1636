using Dispatch.Core.Matching;
using Dispatch.Core.Orders;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Completes GEOSEARCH candidates with what the cost model plans with: the orders each courier already holds (so
/// Core can plan the trip with one more: bundling, cold chain, delay to those on board) and what each earned per
/// online hour this shift (fairness). Two queries, side by side, for any number of candidates, however many orders are ranked.
/// </summary>
public sealed class CourierTrips(IDbContextFactory<DispatchDbContext> dbs)
{
    /// <summary>Below this much time online, earnings per hour are counted over this much (a courier just online is not "cheap" or "rich").</summary>
    private static readonly TimeSpan MinOnlineForRate = TimeSpan.FromMinutes(30);

    /// <param name="allHeld">
    /// Every order any courier holds (<see cref="AllHeldAsync"/>), when the caller read it already; otherwise the orders
    /// these candidates hold are read here.
    /// </param>
    public async Task<IReadOnlyList<Candidate>> CompleteAsync(IReadOnlyList<Candidate> candidates, DateTimeOffset now, CancellationToken ct,
        IReadOnlyList<HeldOrder>? allHeld = null)
    {
        if (candidates.Count == 0) return candidates;
        var ids = candidates.Select(c => c.Courier.CourierId).Distinct().ToList();
        // The orders they hold and what they earned, read at once on two connections.
        var since = candidates.Select(c => c.Courier.OnlineSince).Where(s => s is not null).Select(s => s!.Value).DefaultIfEmpty(now).Min();
        var heldRead = allHeld is null ? HeldAsync(ids, ct) : Task.FromResult(allHeld);
        var feesRead = FeesAsync(ids, since, ct);
        var (held, fees) = (await heldRead, await feesRead);
        var trips = held.ToLookup(o => o.CourierId, o => new CarriedOrder(
            o.Id, o.RequiresColdChain ? OrderKind.Frozen : o.Kind, OrderEvents.ToLatLon(o.Pickup), OrderEvents.ToLatLon(o.Dropoff), o.PromisedAt,
            OrderStateMachine.IsCarrying(o.Status) ? o.PickedUpAt ?? now : null, o.ReadyAt,
            Dispatch.Core.Errands.StopRules.Remaining(Errands.OrderStops.Read(o.Stops))));

        var feesOf = fees.ToLookup(f => f.CourierId);

        // Loops, not LINQ: a batch round completes the zone's thousands of couriers; those holding nothing share one empty list.
        var completed = new Candidate[candidates.Count];
        for (var i = 0; i < completed.Length; i++)
        {
            var c = candidates[i];
            double? rate = null;
            if (c.Courier.OnlineSince is { } start)
            {
                var earned = 0.0;
                foreach (var f in feesOf[c.Courier.CourierId])
                {
                    if (f.At >= start) earned += f.Cents;
                }
                var online = now - start < MinOnlineForRate ? MinOnlineForRate : now - start;
                rate = earned / online.TotalHours;
            }
            var carrying = trips[c.Courier.CourierId];
            completed[i] = c with { Carrying = carrying.Any() ? [.. carrying] : [], EarnedCentsPerHour = rate };
        }
        return completed;
    }

    /// <summary>An order a courier holds, as trip planning needs it.</summary>
    public sealed record HeldOrder(Guid Id, Guid CourierId, OrderKind Kind, bool RequiresColdChain, NetTopologySuite.Geometries.Point Pickup,
        NetTopologySuite.Geometries.Point Dropoff, DateTimeOffset PromisedAt, DateTimeOffset? ReadyAt, OrderStatus Status, string? Stops, DateTimeOffset? PickedUpAt);

    private sealed record Fee(Guid CourierId, DateTimeOffset At, int Cents);

    private async Task<IReadOnlyList<HeldOrder>> HeldAsync(List<Guid> ids, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // delivered_at null: the (courier_id, delivered_at) index leads straight to what they hold, past their past deliveries.
        return await Held(db, db.Orders.Where(o => o.CourierId != null && ids.Contains(o.CourierId.Value))).ToListAsync(ct);
    }

    /// <summary>
    /// Every order a courier holds now, whoever and wherever they are: for a batch round, which needs the zone's thousands
    /// of couriers. It needs no courier ids, so it is read while Redis answers who is in the zone, and it is cheap: held
    /// orders are open orders (<c>is_open</c>, whose partial index holds only the orders still under way), where a list of
    /// thousands of ids costs PostgreSQL milliseconds to plan and a scan of the table (measured: docs/benchmarks.md).
    /// </summary>
    public async Task<IReadOnlyList<HeldOrder>> AllHeldAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Held(db, db.Orders.Where(o => o.IsOpen && o.CourierId != null)).ToListAsync(ct);
    }

    private static readonly OrderStatus[] Carrying = [.. Enum.GetValues<OrderStatus>().Where(OrderStateMachine.IsCarrying)];

    private static IQueryable<HeldOrder> Held(DispatchDbContext db, IQueryable<OrderRecord> orders) =>
        orders.AsNoTracking()
            .Where(o => o.DeliveredAt == null && (o.Status == OrderStatus.Accepted || o.Status == OrderStatus.ArrivedAtPickup
                || o.Status == OrderStatus.PickedUp || o.Status == OrderStatus.InTransit || o.Status == OrderStatus.ArrivedAtDropoff))
            // When it was picked up: looked up only for orders on board (OrderStateMachine.IsCarrying), the only ones it is read
            // for — one index probe of order_events per held order cost a round ~10 ms with a thousand couriers holding one.
            .Select(o => new HeldOrder(o.Id, o.CourierId!.Value, o.Kind, o.RequiresColdChain, o.Pickup, o.Dropoff, o.PromisedAt, o.ReadyAt, o.Status, o.Stops,
                Carrying.Contains(o.Status)
                    ? db.OrderEvents.Where(e => e.OrderId == o.Id && e.Status == OrderStatus.PickedUp).Min(e => (DateTimeOffset?)e.At)
                    : null));

    private async Task<List<Fee>> FeesAsync(List<Guid> ids, DateTimeOffset since, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Orders.AsNoTracking()
            .Where(o => o.CourierId != null && ids.Contains(o.CourierId.Value) && o.DeliveredAt >= since && o.CourierFeeCents != null)
            .Select(o => new Fee(o.CourierId!.Value, o.DeliveredAt!.Value, o.CourierFeeCents!.Value))
            .ToListAsync(ct);
    }
}
