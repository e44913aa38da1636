using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace Dispatch.Server.Outbox;

/// <summary>
/// Deletes processed outbox rows older than <see cref="OutboxOptions.KeepProcessedHours"/> in small batches, every
/// <see cref="OutboxOptions.PurgeIntervalSeconds"/> on one node of the cluster (a Quartz job: every node used to run it).
/// </summary>
[DisallowConcurrentExecution]
internal sealed class OutboxPurgeJob(NpgsqlDataSource dataSource, IOptions<OutboxOptions> options, DispatchMetrics metrics, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("outbox-purge", "upkeep");

    /// <summary>Adds the job and its trigger (the first firing at once, as the loop did at start).</summary>
    public static void Schedule(IQuartzBuilder quartz, OutboxOptions options) => quartz.ScheduleJob<OutboxPurgeJob>(
        trigger => trigger.WithIdentity("outbox-purge", "upkeep").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(options.PurgeIntervalSeconds)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
        job => job.WithIdentity(Key));

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => await PurgeAsync(cancellationToken);

    /// <summary>Deletes processed rows past their keeping time, a batch per statement, until none is left. Returns the count.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var o = options.Value;
        var before = clock.GetUtcNow() - TimeSpan.FromHours(o.KeepProcessedHours);
        var total = 0;
        while (true)
        {
            await using var delete = dataSource.CreateCommand(
                "delete from outbox where id in (select id from outbox where processed_at is not null and processed_at < $1 order by processed_at limit $2)");
            delete.Parameters.Add(new NpgsqlParameter { Value = before });
            delete.Parameters.Add(new NpgsqlParameter { Value = o.PurgeBatchSize });
            var deleted = await delete.ExecuteNonQueryAsync(ct);
            total += deleted;
            if (deleted > 0) metrics.OutboxPurged(deleted);
            if (deleted < o.PurgeBatchSize) return total;
        }
    }
}
