using Dispatch.Core.Orders;
using Dispatch.Core.Payments;
using Dispatch.Server.Outbox;
using Npgsql;

namespace Dispatch.Server.Payments;

/// <summary>
/// Asks for a refund when a paid order is cancelled (before pickup: all of it) or fails (after pickup: by the configured
/// rule): one payment_refunds row per event, only for orders that hold money, unique by event so a replay adds nothing.
/// Quick local work; the provider is called by <see cref="RefundCoordinator"/>'s loop.
/// </summary>
internal sealed class RefundConsumer(NpgsqlDataSource dataSource, RefundCoordinator refunds, TimeProvider clock) : IOutboxConsumer
{
    public string Name => "refunds";

    public async Task HandleAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        var ended = new List<(Guid EventId, Guid OrderId, RefundReason Reason, string Actor, string Note)>();
        foreach (var e in events)
        {
            if (e.Kind != OutboxKinds.OrderStatus) continue;
            var moved = e.Read<OrderMoved>();
            if (moved.To is OrderStatus.Cancelled) ended.Add((e.EventId, moved.OrderId, RefundReason.CancelledBeforePickup, moved.Actor, moved.Note ?? "cancelled"));
            else if (moved.To is OrderStatus.Failed) ended.Add((e.EventId, moved.OrderId, RefundReason.FailedAfterPickup, moved.Actor, moved.Note ?? "failed"));
        }
        if (ended.Count == 0) return;
        var now = clock.GetUtcNow();
        await using var insert = dataSource.CreateCommand("""
            insert into payment_refunds (id, order_id, event_id, reason, amount_cents, state, actor, note, attempts, due_at, created_at)
            select gen_random_uuid(), x.order_id, x.event_id, x.reason, 0, 0, left(x.actor, 100), left(x.note, 300), 0, $6, $6
            from unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[]) as x(event_id, order_id, reason, actor, note)
            join orders o on o.id = x.order_id and o.payment_state in (1, 4)
            on conflict (event_id) do nothing
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = ended.Select(x => x.EventId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = ended.Select(x => x.OrderId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = ended.Select(x => (int)x.Reason).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = ended.Select(x => x.Actor).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = ended.Select(x => x.Note).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = now });
        if (await insert.ExecuteNonQueryAsync(ct) > 0) refunds.Wake();
    }
}
