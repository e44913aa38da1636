using Dispatch.Core.Orders;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Quartz;

namespace Dispatch.Server.Archive;

/// <summary>
/// Moves delivered, cancelled and failed orders created more than <see cref="ArchiveOptions.OrderAgeDays"/> ago, with their
/// events, offers, dispatch decisions, routes, payments, refunds and customer notifications, into the archive schema:
/// one transaction per batch of <see cref="ArchiveOptions.OrderBatchSize"/> orders that counts each table's rows of the
/// batch, copies them, counts the archive again and deletes the live rows only when every count agrees (otherwise the
/// batch is rolled back, logged, and the run stops). A Quartz job on <see cref="ArchiveOptions.OrderArchiveCron"/>.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class OrderArchiveJob(
    NpgsqlDataSource dataSource,
    IOptions<ArchiveOptions> options,
    TimeProvider clock,
    ILogger<OrderArchiveJob> logger) : IJob
{
    public static readonly JobKey Key = new("order-archive", "archive");

    /// <summary>The archived tables, orders last: rows are deleted in this order, children before their order.</summary>
    public static readonly IReadOnlyList<string> Tables =
        ["order_events", "offers", "dispatch_decisions", "routes", "payments", "payment_refunds", "customer_notifications", "orders"];

    private static readonly int[] Finished = [(int)OrderStatus.Delivered, (int)OrderStatus.Cancelled, (int)OrderStatus.Failed];

    public static void Schedule(IQuartzBuilder quartz, ArchiveOptions options) => quartz.ScheduleJob<OrderArchiveJob>(
        trigger => trigger.WithIdentity("order-archive", "archive").WithCronSchedule(options.OrderArchiveCron, c => c.InTimeZone(TimeZoneInfo.Utc)),
        job => job.WithIdentity(Key));

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => await RunAsync(cancellationToken);

    /// <summary>Archives every order due, a batch per transaction; returns how many orders moved (−1 in <c>Refused</c> when a batch was refused).</summary>
    public async Task<ArchiveRun> RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        var cutoff = clock.GetUtcNow().AddDays(-o.OrderAgeDays);
        var columns = await ColumnsAsync(ct);
        if (columns is null) return new ArchiveRun(0, 0, Refused: true);
        var orders = 0L;
        var rows = 0L;
        while (true)
        {
            var batch = await MoveBatchAsync(cutoff, o.OrderBatchSize, columns, ct);
            if (batch is null) return new ArchiveRun(orders, rows, Refused: true);
            orders += batch.Value.Orders;
            rows += batch.Value.Rows;
            if (batch.Value.Orders < o.OrderBatchSize)
            {
                LogRun(logger, orders, rows, o.OrderAgeDays);
                return new ArchiveRun(orders, rows, Refused: false);
            }
        }
    }

    /// <summary>
    /// Per table, the columns copied: the live table's, each of which must have an archive twin (a live column with none
    /// would be lost, so the run is refused and says which).
    /// </summary>
    private async Task<Dictionary<string, string>?> ColumnsAsync(CancellationToken ct)
    {
        var live = new Dictionary<string, List<string>>();
        var archived = new HashSet<(string, string)>();
        await using (var command = dataSource.CreateCommand(
            "select table_schema, table_name, column_name from information_schema.columns where table_schema in ('public', 'archive') and table_name = any($1) order by ordinal_position"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Tables.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (schema, table, column) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                if (schema == "archive") archived.Add((table, column));
                else (live.TryGetValue(table, out var list) ? list : live[table] = []).Add(column);
            }
        }
        var columns = new Dictionary<string, string>();
        foreach (var table in Tables)
        {
            var names = live.GetValueOrDefault(table, []);
            var missing = names.Where(c => !archived.Contains((table, c))).ToList();
            if (missing.Count > 0 || names.Count == 0)
            {
                LogNoTwin(logger, table, string.Join(", ", missing));
                return null;
            }
            columns[table] = string.Join(", ", names.Select(c => $"\"{c}\""));
        }
        return columns;
    }

    /// <summary>One batch in one transaction; null when its counts disagreed and it was rolled back.</summary>
    private async Task<(int Orders, long Rows)?> MoveBatchAsync(DateTimeOffset cutoff, int size, Dictionary<string, string> columns, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ids = new List<Guid>(size);
        // Orders whose events still wait in the outbox stay until the relay is done with them.
        await using (var pick = new NpgsqlCommand(
            "select id from orders o where status = any($1) and created_at < $2 " +
            "and not exists (select 1 from outbox x where x.order_id = o.id and x.processed_at is null) " +
            "order by created_at, id limit $3 for update skip locked", connection, tx))
        {
            pick.Parameters.Add(new NpgsqlParameter { Value = Finished });
            pick.Parameters.Add(new NpgsqlParameter { Value = cutoff });
            pick.Parameters.Add(new NpgsqlParameter { Value = size });
            await using var reader = await pick.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        }
        if (ids.Count == 0) return (0, 0);
        var batch = ids.ToArray();

        var live = new Dictionary<string, long>();
        long before = 0, after = 0;
        foreach (var table in Tables)
        {
            var key = KeyColumn(table);
            live[table] = await CountAsync(connection, tx, $"select count(*) from public.{table} where {key} = any($1)", batch, ct);
            var archivedBefore = await CountAsync(connection, tx, $"select count(*) from archive.{table} where {key} = any($1)", batch, ct);
            await ExecuteAsync(connection, tx, $"insert into archive.{table} ({columns[table]}) select {columns[table]} from public.{table} where {key} = any($1)", batch, ct);
            var archivedAfter = await CountAsync(connection, tx, $"select count(*) from archive.{table} where {key} = any($1)", batch, ct);
            before += live[table] + archivedBefore;
            after += archivedAfter;
            if (archivedAfter - archivedBefore != live[table])
            {
                await tx.RollbackAsync(ct);
                LogMismatch(logger, table, live[table], archivedAfter - archivedBefore, ids.Count);
                return null;
            }
        }
        foreach (var table in Tables)
        {
            var deleted = await ExecuteAsync(connection, tx, $"delete from public.{table} where {KeyColumn(table)} = any($1)", batch, ct);
            if (deleted != live[table])
            {
                await tx.RollbackAsync(ct);
                LogMismatch(logger, table, live[table], deleted, ids.Count);
                return null;
            }
        }
        await tx.CommitAsync(ct);
        LogBatch(logger, ids.Count, live["order_events"], live["offers"], live["dispatch_decisions"], before, after);
        return (ids.Count, after);
    }

    private static string KeyColumn(string table) => table == "orders" ? "id" : "order_id";

    private static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, Guid[] ids, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, Guid[] ids, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        return await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Archived {Orders} order(s) with {Events} event(s), {Offers} offer(s), {Decisions} decision(s): {Before} row(s) counted before, {After} in the archive after")]
    private static partial void LogBatch(ILogger logger, int orders, long events, long offers, long decisions, long before, long after);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order archival done: {Orders} order(s) and {Rows} row(s) in all moved to the archive (finished orders older than {Days} days)")]
    private static partial void LogRun(ILogger logger, long orders, long rows, int days);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order archival refused a batch of {Orders} order(s): {Table} had {Expected} row(s) but {Actual} were copied or deleted; the batch was rolled back and nothing moved")]
    private static partial void LogMismatch(ILogger logger, string table, long expected, long actual, int orders);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order archival refused: live table {Table} has column(s) [{Columns}] with no twin in archive.{Table} (or the table is missing); add them with a migration")]
    private static partial void LogNoTwin(ILogger logger, string table, string columns);
}
