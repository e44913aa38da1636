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
    /// A batch's moves as one statement for the caller's transaction: each order still at the status and version it was read
    /// with (<see cref="BatchMove.Order"/>) is updated once to where its triggers lead in turn (version + 1), only while
    /// <paramref name="fence"/> holds its zone; each moved order gets one order_events row per move, in order, and one
    /// <see cref="OutboxKinds.OrderStatus"/> event from its first status to its last (consumers act on where the order is
    /// now; a batch round's Paid → Offered writes a third fewer outbox rows), with the move's note only when it ends in
    /// Cancelled or Failed (its reason, which consumers read), and the <paramref name="followUps"/>' rows.
    /// A move the state machine refuses is left out (never written). The statement returns the ids of the orders moved.
    /// </summary>
    public static NpgsqlBatchCommand MoveManyCommand(IReadOnlyList<BatchMove> moves, string actor, DateTimeOffset at, Zones.ZoneFence fence,
        params BatchFollowUp[] followUps)
    {
        ArgumentNullException.ThrowIfNull(moves);
        ArgumentNullException.ThrowIfNull(fence);
        var (ids, versions, from, to) = (new List<Guid>(moves.Count), new List<int>(moves.Count), new List<int>(moves.Count), new List<int>(moves.Count));
        var (eventIds, eventStatuses, eventNotes) = (new List<Guid>(2 * moves.Count), new List<int>(2 * moves.Count), new List<string?>(2 * moves.Count));
        var (outboxIds, payloads) = (new List<Guid>(moves.Count), new List<string>(moves.Count));
        var steps = new List<OrderStatus>(4);
        foreach (var move in moves)
        {
            if (!Path(move.Order.Status, move.Triggers, steps)) continue;
            ids.Add(move.Order.Id);
            versions.Add(move.Order.Version);
            from.Add((int)move.Order.Status);
            to.Add((int)steps[^1]);
            for (var i = 0; i < steps.Count; i++)
            {
                eventIds.Add(move.Order.Id);
                eventStatuses.Add((int)steps[i]);
                eventNotes.Add(i == steps.Count - 1 ? Clip(move.Note) : null);
            }
            // The note rides in the event only where a consumer reads it (a cancellation's or failure's reason); a batch
            // round's offer note (~60 bytes of 390) is the timeline's alone.
            var note = steps[^1] is OrderStatus.Cancelled or OrderStatus.Failed ? move.Note : null;
            var record = OutboxWriter.Create(OutboxKinds.OrderStatus, move.Order.Id, Moved(move.Order, steps[^1], null, at, actor, note), at);
            outboxIds.Add(record.EventId);
            payloads.Add(record.Payload);
        }
        var sql = new System.Text.StringBuilder(MoveManySql);
        for (var i = 0; i < followUps.Length; i++) sql.Append(", then_").Append(i).Append(" as (").Append(followUps[i].Sql).Append(')');
        sql.Append(" select id from moved");
        var command = new NpgsqlBatchCommand(sql.ToString())
        {
            Parameters =
            {
                new NpgsqlParameter("m_zone", fence.Zone), new NpgsqlParameter("m_holder", fence.Holder), new NpgsqlParameter("m_token", fence.Token),
                new NpgsqlParameter("m_ids", ids.ToArray()), new NpgsqlParameter("m_versions", versions.ToArray()),
                new NpgsqlParameter("m_from", from.ToArray()), new NpgsqlParameter("m_to", to.ToArray()),
                new NpgsqlParameter("m_event_ids", eventIds.ToArray()), new NpgsqlParameter("m_event_statuses", eventStatuses.ToArray()),
                new NpgsqlParameter("m_event_notes", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = eventNotes.ToArray() },
                new NpgsqlParameter("m_outbox_ids", outboxIds.ToArray()),
                new NpgsqlParameter("m_payloads", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = payloads.ToArray() },
                new NpgsqlParameter("m_kind", OutboxKinds.OrderStatus), new NpgsqlParameter("m_at", at), new NpgsqlParameter("m_actor", actor),
            },
        };
        foreach (var followUp in followUps)
        {
            foreach (var parameter in followUp.Parameters) command.Parameters.Add(parameter);
        }
        return command;
    }

    // The fence is read FOR SHARE (a takeover waits for this transaction); each row moves on its status and version; the
    // events keep their moves' order (ordinality), the timeline sorts by id within an instant.
    private const string MoveManySql = """
        with fence as (select 1 from zone_leases where zone = @m_zone and holder = @m_holder and token = @m_token for share),
        moved as (
            update orders o set status = u.to_status, version = o.version + 1
            from unnest(@m_ids::uuid[], @m_versions::int[], @m_from::int[], @m_to::int[]) as u(id, version, from_status, to_status)
            where o.id = u.id and o.version = u.version and o.status = u.from_status and exists (select 1 from fence)
            returning o.id),
        events as (
            insert into order_events (order_id, status, at, actor, note)
            select e.id, e.status, @m_at, @m_actor, e.note
            from unnest(@m_event_ids::uuid[], @m_event_statuses::int[], @m_event_notes::text[]) with ordinality as e(id, status, note, n)
            join moved on moved.id = e.id order by e.n),
        outbox as (
            insert into outbox (event_id, kind, order_id, created_at, payload)
            select b.event_id, @m_kind, b.id, @m_at, b.payload::json
            from unnest(@m_outbox_ids::uuid[], @m_ids::uuid[], @m_payloads::text[]) with ordinality as b(event_id, id, payload, n)
            join moved on moved.id = b.id order by b.n)
        """;

    /// <summary>The statuses <paramref name="triggers"/> lead through from <paramref name="from"/>; false when one is illegal.</summary>
    private static bool Path(OrderStatus from, IReadOnlyList<OrderTrigger> triggers, List<OrderStatus> steps)
    {
        steps.Clear();
        var at = from;
        foreach (var trigger in triggers)
        {
            if (OrderStateMachine.Apply(at, trigger).To is not { } next) return false;
            steps.Add(next);
            at = next;
        }
        return steps.Count > 0;
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
