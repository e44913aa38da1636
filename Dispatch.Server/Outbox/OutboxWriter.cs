using System.Text.Json;
using Dispatch.Server.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Dispatch.Server.Outbox;

/// <summary>
/// Adds outbox rows to the caller's transaction; they are saved and committed with the change they follow. The table's
/// trigger sends NOTIFY outbox at commit, which wakes the relays.
/// </summary>
internal static class OutboxWriter
{
    /// <summary>Adds the event to <paramref name="db"/>'s change tracker: saved by the caller's SaveChanges, in its transaction.</summary>
    public static OutboxRecord Add<T>(DispatchDbContext db, string kind, Guid? orderId, T payload, DateTimeOffset now)
    {
        var record = Create(kind, orderId, payload, now);
        db.Outbox.Add(record);
        return record;
    }

    public static OutboxRecord Create<T>(string kind, Guid? orderId, T payload, DateTimeOffset now) => new()
    {
        EventId = Guid.CreateVersion7(now),
        Kind = kind,
        OrderId = orderId,
        CreatedAt = now,
        Payload = JsonSerializer.Serialize(payload, OutboxJson.Options),
    };

    /// <summary>For code that writes with Npgsql batches: one INSERT of many rows (unnest), to run in the caller's transaction.</summary>
    public static NpgsqlBatchCommand InsertCommand(IReadOnlyList<OutboxRecord> records) => new(
        "insert into outbox (event_id, kind, order_id, created_at, payload) select * from unnest($1, $2, $3, $4, $5::json[])")
    {
        Parameters =
        {
            new NpgsqlParameter { Value = records.Select(r => r.EventId).ToArray() },
            new NpgsqlParameter { Value = records.Select(r => r.Kind).ToArray() },
            new NpgsqlParameter { Value = records.Select(r => r.OrderId).ToArray() },
            new NpgsqlParameter { Value = records.Select(r => r.CreatedAt).ToArray() },
            new NpgsqlParameter { Value = records.Select(r => r.Payload).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        },
    };
}
