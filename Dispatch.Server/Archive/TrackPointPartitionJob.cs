using System.Globalization;
using Dispatch.Core.Archive;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace Dispatch.Server.Archive;

/// <summary>
/// Partition upkeep of track_points (partitioned by UTC day): creates the daily partitions of today and the days ahead,
/// moving into each any rows the default partition caught for its day, and detaches and drops the partitions past
/// <see cref="ArchiveOptions.TrackPointRetentionDays"/> (the default partition's rows that old are deleted). A Quartz job:
/// one node of the cluster runs it each time.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class TrackPointPartitionJob(
    NpgsqlDataSource dataSource,
    IOptions<ArchiveOptions> options,
    TimeProvider clock,
    ILogger<TrackPointPartitionJob> logger) : IJob
{
    public const string DefaultPartition = "track_points_default";
    public static readonly JobKey Key = new("track-point-partitions", "archive");

    public static void Schedule(IQuartzBuilder quartz, ArchiveOptions options) => quartz.ScheduleJob<TrackPointPartitionJob>(
        trigger => trigger.WithIdentity("track-point-partitions", "archive").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(options.PartitionIntervalMinutes)).RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithRemainingCount)),
        job => job.WithIdentity(Key));

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => await RunAsync(cancellationToken);

    /// <summary>One round of upkeep; returns the partitions created and dropped.</summary>
    public async Task<(int Created, int Dropped)> RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var names = new List<string>();
        await using (var list = dataSource.CreateCommand(
            "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'track_points'::regclass"))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
        }
        var (create, drop) = TrackPointPartitionPlan.For(names, today, o.TrackPointRetentionDays, o.TrackPointDaysAhead);
        foreach (var day in create) await CreateAsync(day, ct);
        foreach (var partition in drop) await DropAsync(partition, ct);
        await using (var prune = dataSource.CreateCommand($"delete from {DefaultPartition} where at < $1"))
        {
            prune.Parameters.Add(new NpgsqlParameter { Value = Midnight(today.AddDays(-o.TrackPointRetentionDays)) });
            var pruned = await prune.ExecuteNonQueryAsync(ct);
            if (pruned > 0) LogPruned(logger, pruned, o.TrackPointRetentionDays);
        }
        return (create.Count, drop.Count);
    }

    /// <summary>
    /// The day's partition, in one transaction with the rows the default partition holds for that day (a partition cannot
    /// be created over rows the default holds in its range, and they belong in it).
    /// </summary>
    private async Task CreateAsync(DateOnly day, CancellationToken ct)
    {
        var name = TrackPointPartition.DailyName(day);
        var (from, to) = (Literal(day), Literal(day.AddDays(1)));
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new($"create temp table moving on commit drop as with m as (delete from {DefaultPartition} where at >= {from} and at < {to} returning *) select * from m"),
                new($"create table {name} partition of track_points for values from ({from}) to ({to})"),
                new("insert into track_points select * from moving"),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        var moved = batch.BatchCommands[2].RecordsAffected;
        await tx.CommitAsync(ct);
        LogCreated(logger, name, moved);
    }

    private async Task DropAsync(TrackPointPartition partition, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new($"alter table track_points detach partition {partition.Name}"),
                new($"drop table {partition.Name}"),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        LogDropped(logger, partition.Name, partition.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    // A literal in DDL (bounds cannot be parameters); made from a date, never from input.
    private static string Literal(DateOnly day) => string.Create(CultureInfo.InvariantCulture, $"'{day:yyyy-MM-dd} 00:00:00+00'");

    [LoggerMessage(Level = LogLevel.Information, Message = "track_points partition {Partition} created ({Moved} row(s) moved into it from the default partition)")]
    private static partial void LogCreated(ILogger logger, string partition, int moved);

    [LoggerMessage(Level = LogLevel.Information, Message = "track_points partition {Partition} (days before {Until}) detached and dropped: past the retention")]
    private static partial void LogDropped(ILogger logger, string partition, string until);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Rows} track point(s) older than {Days} days deleted from the default partition")]
    private static partial void LogPruned(ILogger logger, int rows, int days);
}
