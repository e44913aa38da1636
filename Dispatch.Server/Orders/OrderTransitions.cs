using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dispatch.Server.Orders;

/// <summary>
/// The one place that writes <c>orders.status</c>. Inside the caller's transaction a move asks <see cref="OrderStateMachine"/>
/// (an illegal move is refused, never written), makes one conditional UPDATE of the order row (on the status read, and the
/// version or courier when asked; the columns that change with the move in the same statement), adds the order_events row
/// and the <see cref="OutboxKinds.OrderStatus"/> outbox row: the change and what must follow it commit together or not at all.
/// A source scan in the tests refuses any other writer of the status.
/// </summary>
internal static class OrderTransitions
{
    /// <summary>
    /// Moves the order if it is still as read; false when the move is illegal or the order changed meanwhile (nothing is
    /// written then). The rows are saved with the caller's other pending changes, in its transaction.
    /// </summary>
    public static async Task<bool> MoveAsync(DispatchDbContext db, OrderMove move, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("An order's move is written in the caller's transaction, with its event and outbox rows; begin one first.");
        var order = move.Order;
        if (OrderStateMachine.Apply(order.Status, move.Trigger).To is not { } to) return false;

        var rows = db.Orders.Where(o => o.Id == order.Id && o.Status == order.Status);
        if (move.OnVersion) rows = rows.Where(o => o.Version == order.Version);
        if (move.OnCourier) rows = rows.Where(o => o.CourierId == order.CourierId);
        if (move.Condition is { } condition) rows = rows.Where(condition);
        var newCourier = move.NewCourierId;
        var changed = await rows.ExecuteUpdateAsync(s =>
        {
            s.SetProperty(o => o.Status, to).SetProperty(o => o.Version, o => o.Version + 1);
            if (newCourier is { } courier) s.SetProperty(o => o.CourierId, courier);
            move.Set?.Invoke(s);
        }, ct);
        if (changed == 0) return false;

        db.OrderEvents.Add(OrderEvents.Create(order.Id, to, move.At, move.Actor, move.Position, Clip(move.Note)));
        OutboxWriter.Add(db, OutboxKinds.OrderStatus, order.Id, Moved(order, to, newCourier, move.At, move.Actor, move.Note), move.At);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// A new order: its status is Placed, with the timeline's first row and an <see cref="OutboxKinds.OrderStatus"/> event
    /// (From = To = Placed) so merchants hear of it. Added to <paramref name="db"/>; saved by the caller's SaveChanges.
    /// </summary>
    public static async Task AddCreatedAsync(DispatchDbContext db, OrderRecord order, string actor, LatLon? position, CancellationToken ct)
    {
        // The event carries the order number, which the identity column would only give at insert: taken from it first.
        if (order.Number == 0)
        {
            order.Number = await db.Database.SqlQueryRaw<long>("select nextval(pg_get_serial_sequence('orders', 'number')) as \"Value\"").SingleAsync(ct);
        }
        order.Status = OrderStatus.Placed;
        db.Orders.Add(order);
        db.OrderEvents.Add(OrderEvents.Create(order.Id, OrderStatus.Placed, order.CreatedAt, actor, position));
        OutboxWriter.Add(db, OutboxKinds.OrderStatus, order.Id, Moved(OrderHead.Of(order), OrderStatus.Placed, null, order.CreatedAt, actor, null), order.CreatedAt);
    }

    /// <summary>
    /// Set-based moves for a batch round: one UPDATE of the orders still in <paramref name="from"/> to where the triggers lead
    /// in turn (several when a row goes through two moves in one write; each still gets its events from
    /// <see cref="RecordManyCommands"/>), version + 1, returning the ids moved. For the caller's Npgsql batch.
    /// </summary>
    public static NpgsqlBatchCommand MoveManyCommand(Guid[] ids, OrderStatus from, params OrderTrigger[] triggers)
    {
        var to = from;
        foreach (var trigger in triggers)
        {
            to = OrderStateMachine.Apply(to, trigger).To ?? throw new InvalidOperationException($"{trigger} is not legal from {to}.");
        }
        return new NpgsqlBatchCommand("update orders set status = $3, version = version + 1 where id = any($1) and status = $2 returning id")
        {
            Parameters = { new NpgsqlParameter { Value = ids }, new NpgsqlParameter { Value = (int)from }, new NpgsqlParameter { Value = (int)to } },
        };
    }

    /// <summary>
    /// The order_events and outbox rows of orders a batch moved (<see cref="MoveManyCommand"/>), as two commands for the
    /// caller's batch. <paramref name="moves"/> come in the order they happened (an order moved twice has its first move first).
    /// Every move has its timeline row, but an order moved twice gets one outbox event, from its first status to its last
    /// (a batch round's Paid → Offered): consumers act on where the order is now, and a round writes a third fewer rows.
    /// </summary>
    public static (NpgsqlBatchCommand Events, NpgsqlBatchCommand Outbox) RecordManyCommands(IReadOnlyList<BatchMove> moves, string actor, DateTimeOffset at)
    {
        var events = new NpgsqlBatchCommand(
            "insert into order_events (order_id, status, at, actor, note) select id, status, $3, $4, note from unnest($1::uuid[], $2::int[], $5::text[]) as u(id, status, note)")
        {
            Parameters =
            {
                new NpgsqlParameter { Value = moves.Select(m => m.Order.Id).ToArray() },
                new NpgsqlParameter { Value = moves.Select(m => (int)m.To).ToArray() },
                new NpgsqlParameter { Value = at },
                new NpgsqlParameter { Value = actor },
                new NpgsqlParameter { Value = moves.Select(m => Clip(m.Note)).ToArray() },
            },
        };
        var first = new Dictionary<Guid, OrderStatus>(moves.Count);
        var last = new Dictionary<Guid, BatchMove>(moves.Count);
        foreach (var m in moves)
        {
            first.TryAdd(m.Order.Id, m.From);
            last[m.Order.Id] = m;
        }
        var outbox = OutboxWriter.InsertCommand([.. last.Values.Select(m =>
            OutboxWriter.Create(OutboxKinds.OrderStatus, m.Order.Id, Moved(m.Order with { Status = first[m.Order.Id] }, m.To, null, at, actor, m.Note), at))]);
        return (events, outbox);
    }

    private static OrderMoved Moved(OrderHead order, OrderStatus to, Guid? newCourier, DateTimeOffset at, string actor, string? note)
    {
        // A move that ends the courier's hold (a cancellation before pickup is the only one) still names who held it.
        var courier = newCourier ?? order.CourierId;
        return new OrderMoved(order.Id, order.Number, order.MerchantId, order.Zone, order.Status, to, courier,
            newCourier is not null && order.CourierId is { } before && before != newCourier ? before : null, at, actor, note);
    }

    /// <summary>order_events.note holds at most 500 characters.</summary>
    private static string? Clip(string? note) => note is { Length: > 500 } ? note[..500] : note;
}
