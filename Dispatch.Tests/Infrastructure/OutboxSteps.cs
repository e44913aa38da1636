using Dispatch.Server.Outbox;
using Dispatch.Server.Persistence;
using Npgsql;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// Writes test outbox events (kind <see cref="Kind"/>, payload <see cref="StepDone"/>) as producers do: each transaction adds the
/// next step of some orders, several writers commit at once, and an order's steps are committed one after the other.
/// </summary>
internal static class OutboxSteps
{
    public const string Kind = "test.step";

    public sealed record StepDone(Guid Order, int Number);

    /// <summary>
    /// <paramref name="steps"/> events for each of <paramref name="orders"/> new orders, by <paramref name="writers"/> writers
    /// that each own a share of the orders and commit <paramref name="perTransaction"/> orders' next step at a time.
    /// Returns every event written.
    /// </summary>
    public static async Task<IReadOnlyList<OutboxRecord>> WriteAsync(NpgsqlDataSource db, int orders, int steps, int writers = 4, int perTransaction = 25)
    {
        var ids = Enumerable.Range(0, orders).Select(_ => Guid.NewGuid()).ToArray();
        var written = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = ids.Where((_, i) => i % writers == w).ToArray();
            var records = new List<OutboxRecord>();
            for (var step = 1; step <= steps; step++)
            {
                foreach (var chunk in mine.Chunk(perTransaction))
                {
                    var batch = chunk.Select(o => OutboxWriter.Create(Kind, o, new StepDone(o, step), DateTimeOffset.UtcNow)).ToList();
                    await InsertAsync(db, batch);
                    records.AddRange(batch);
                }
            }
            return records;
        })));
        return [.. written.SelectMany(r => r)];
    }

    /// <summary>One transaction that adds <paramref name="records"/>.</summary>
    public static async Task InsertAsync(NpgsqlDataSource db, IReadOnlyList<OutboxRecord> records)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { OutboxWriter.InsertCommand(records) } })
        {
            await batch.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    /// <summary>One event of a new order, committed alone.</summary>
    public static async Task<OutboxRecord> OneAsync(NpgsqlDataSource db)
    {
        var order = Guid.NewGuid();
        var record = OutboxWriter.Create(Kind, order, new StepDone(order, 1), DateTimeOffset.UtcNow);
        await InsertAsync(db, [record]);
        return record;
    }
}
