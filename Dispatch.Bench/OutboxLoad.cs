using System.Collections.Concurrent;
using System.Diagnostics;
using Dispatch.Core.Orders;
using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Npgsql;

namespace Dispatch.Bench;

/// <summary>
/// Writes order.status events as the transition path does (OutboxWriter rows committed in the producer's transaction):
/// each order moves through four statuses, one step per transaction, while writers commit other orders' steps alongside.
/// </summary>
internal static class OutboxLoad
{
    public const string Merchant = "bench-shop";

    private static readonly (OrderStatus From, OrderStatus To)[] Moves =
    [
        (OrderStatus.Dispatching, OrderStatus.Offered), (OrderStatus.Offered, OrderStatus.Accepted),
        (OrderStatus.Accepted, OrderStatus.PickedUp), (OrderStatus.PickedUp, OrderStatus.Delivered),
    ];

    public static int StepsPerOrder => Moves.Length;

    public static OutboxRecord Moved(Guid order, long number, int step, DateTimeOffset now)
    {
        var (from, to) = Moves[step % Moves.Length];
        return OutboxWriter.Create(OutboxKinds.OrderStatus, order,
            new OrderMoved(order, number, Merchant, "monaco", from, to, Guid.Empty, null, now, "bench", null), now);
    }

    /// <summary>
    /// <paramref name="events"/> events into <paramref name="table"/> (outbox, or a copy of it for the baseline) by
    /// <paramref name="writers"/> writers, <paramref name="perTransaction"/> orders' next step per transaction. Returns every id written.
    /// </summary>
    public static async Task<List<Guid>> WriteAsync(NpgsqlDataSource db, string table, int events, int perTransaction, int writers, Action<int>? committed = null)
    {
        var orders = Math.Max(1, events / Moves.Length); // events rounded down to whole orders
        var ids = new ConcurrentBag<Guid>();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = Enumerable.Range(0, orders).Where(i => i % writers == w).Select(i => (Id: Guid.NewGuid(), Number: (long)i + 1)).ToArray();
            for (var step = 0; step < Moves.Length; step++)
            {
                foreach (var chunk in mine.Chunk(perTransaction))
                {
                    var now = DateTimeOffset.UtcNow;
                    var records = chunk.Select(o => Moved(o.Id, o.Number, step, now)).ToList();
                    await InsertAsync(db, table, records);
                    foreach (var r in records) ids.Add(r.EventId);
                    committed?.Invoke(records.Count);
                }
            }
        })));
        return [.. ids];
    }

    /// <summary>One transaction adding <paramref name="records"/> to <paramref name="table"/>; returns the commit's Stopwatch timestamp.</summary>
    public static async Task<long> InsertAsync(NpgsqlDataSource db, string table, IReadOnlyList<OutboxRecord> records)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var insert = OutboxWriter.InsertCommand(records);
        if (table != "outbox") insert.CommandText = insert.CommandText.Replace("insert into outbox ", $"insert into {table} ", StringComparison.Ordinal);
        await using (var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { insert } })
        {
            await batch.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return Stopwatch.GetTimestamp();
    }
}
