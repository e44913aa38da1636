using Dispatch.Core.Geo;
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
internal sealed class CourierTrips(IDbContextFactory<DispatchDbContext> dbs, Npgsql.NpgsqlDataSource data)
{
    /// <summary>Below this much time online, earnings per hour are counted over this much (a courier just online is not "cheap" or "rich").</summary>
    private static readonly TimeSpan MinOnlineForRate = TimeSpan.FromMinutes(30);

    /// <param name="allHeld">
    /// The read of every order any courier holds (<see cref="AllHeldAsync"/>), when the caller started it already (the
    /// earnings are read beside it, not after it); otherwise the orders these candidates hold are read here.
    /// </param>
    public async Task<IReadOnlyList<Candidate>> CompleteAsync(IReadOnlyList<Candidate> candidates, DateTimeOffset now, CancellationToken ct,
        Task<IReadOnlyList<HeldOrder>>? allHeld = null)
    {
        if (candidates.Count == 0)
        {
            // A read the caller started is still seen through: its failure is the round's, not an unobserved task's.
            if (allHeld is not null) await allHeld;
            return candidates;
        }
        var ids = candidates.Select(c => c.Courier.CourierId).Distinct().ToList();
        // The orders they hold and what they earned, read at once on two connections.
        var since = candidates.Select(c => c.Courier.OnlineSince).Where(s => s is not null).Select(s => s!.Value).DefaultIfEmpty(now).Min();
        var heldRead = allHeld ?? HeldAsync(ids, ct);
        var feesRead = FeesAsync(ids, since, ct);
        var (held, fees) = (await heldRead, await feesRead);
        var trips = held.ToLookup(o => o.CourierId, o => new CarriedOrder(
            o.Id, o.RequiresColdChain ? OrderKind.Frozen : o.Kind, o.Pickup, o.Dropoff, o.PromisedAt,
            OrderStateMachine.IsCarrying(o.Status) ? o.PickedUpAt ?? now : null, o.ReadyAt,
            Dispatch.Core.Errands.StopRules.Remaining(OrderStops.Read(o.Stops))));

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
            completed[i] = c with { Carrying = carrying.Any() ? new CarriedOrders(carrying) : [], EarnedCentsPerHour = rate };
        }
        return completed;
    }

    /// <summary>An order a courier holds, as trip planning needs it.</summary>
    public sealed record HeldOrder(Guid Id, Guid CourierId, OrderKind Kind, bool RequiresColdChain, LatLon Pickup, LatLon Dropoff,
        DateTimeOffset PromisedAt, DateTimeOffset? ReadyAt, OrderStatus Status, string? Stops, DateTimeOffset? PickedUpAt);

    private sealed record Fee(Guid CourierId, DateTimeOffset At, int Cents);

    /// <summary>The orders these couriers hold (a few candidates: the (courier_id, delivered_at) index leads to them).</summary>
    private Task<IReadOnlyList<HeldOrder>> HeldAsync(List<Guid> ids, CancellationToken ct) =>
        ReadHeldAsync(HeldByCourierSql, ids.ToArray(), ct);

    /// <summary>
    /// Every order a courier holds now, whoever and wherever they are: for a batch round, which needs the zone's thousands
    /// of couriers. It needs no courier ids, so it is read while Redis answers who is in the zone, and it is cheap: held
    /// orders are open orders with a courier (<c>ix_orders_held</c> holds only those, so the read never walks the waiting
    /// orders' pages, which every round rewrites), where a list of thousands of ids costs PostgreSQL milliseconds to plan
    /// and a scan of the table (measured: docs/benchmarks.md). Its correlated subquery is costed for every row, so the
    /// plan's estimate can cross jit_above_cost: the server's sessions run without JIT (<see cref="Persistence.PostgresConnection"/>).
    /// </summary>
    public Task<IReadOnlyList<HeldOrder>> AllHeldAsync(CancellationToken ct) => ReadHeldAsync(AllHeldSql, null, ct);

    /// <summary>
    /// What a held order's trip planning reads, read by hand, the points as their bytes (<see cref="PointBytes"/>): a round reads a thousand
    /// or more, and EF Core's materialising and NetTopologySuite's points cost it milliseconds. When it was picked up is looked
    /// up only for orders on board (<see cref="OrderStateMachine.IsCarrying"/>), the only ones it is read for: one index
    /// probe of order_events per held order cost a round ~10 ms with a thousand couriers holding one.
    /// </summary>
    private static readonly string HeldSql = $"""
        select o.id, o.courier_id, o.kind, o.requires_cold_chain,
               o.pickup::bytea, o.dropoff::bytea,
               o.promised_at, o.ready_at, o.status, o.stops,
               case when o.status in ({Statuses(OrderStateMachine.IsCarrying)}) then
                   (select min(e.at) from order_events e where e.order_id = o.id and e.status = {(int)OrderStatus.PickedUp}) end
        from orders o
        where o.courier_id is not null and o.delivered_at is null and o.status in ({Statuses(OrderStateMachine.IsAssigned)})
        """;

    private static readonly string AllHeldSql = HeldSql + " and o.is_open";
    private static readonly string HeldByCourierSql = HeldSql + " and o.courier_id = any($1)";

    private static string Statuses(Func<OrderStatus, bool> which) =>
        string.Join(", ", Enum.GetValues<OrderStatus>().Where(which).Select(s => (int)s));

    private async Task<IReadOnlyList<HeldOrder>> ReadHeldAsync(string sql, Guid[]? ids, CancellationToken ct)
    {
        await using var command = data.CreateCommand(sql);
        if (ids is not null) command.Parameters.Add(new Npgsql.NpgsqlParameter<Guid[]> { TypedValue = ids });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var held = new List<HeldOrder>();
        while (await reader.ReadAsync(ct))
        {
            held.Add(new HeldOrder(reader.GetGuid(0), reader.GetGuid(1), (OrderKind)reader.GetInt32(2), reader.GetBoolean(3),
                PointBytes.Read(reader, 4), PointBytes.Read(reader, 5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                (OrderStatus)reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
        }
        return held;
    }

    private async Task<List<Fee>> FeesAsync(List<Guid> ids, DateTimeOffset since, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Orders.AsNoTracking()
            .Where(o => o.CourierId != null && ids.Contains(o.CourierId.Value) && o.DeliveredAt >= since && o.CourierFeeCents != null)
            .Select(o => new Fee(o.CourierId!.Value, o.DeliveredAt!.Value, o.CourierFeeCents!.Value))
            .ToListAsync(ct);
    }
}
