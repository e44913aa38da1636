using Npgsql;
using Quartz;

namespace Dispatch.Tests.Server.Scheduling;

/// <summary>
/// Records each firing in test_fires, keyed by its scheduled fire time: a second run of one firing (on any node) shows as
/// runs = 2 instead of a second row.
/// </summary>
public sealed class CountingJob(NpgsqlDataSource dataSource) : IJob
{
    public const string Table = "create table test_fires (fire_time timestamptz primary key, node text not null, runs int not null default 1)";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var insert = dataSource.CreateCommand(
            "insert into test_fires (fire_time, node) values ($1, $2) on conflict (fire_time) do update set runs = test_fires.runs + 1");
        insert.Parameters.Add(new NpgsqlParameter { Value = context.ScheduledFireTimeUtc ?? throw new InvalidOperationException("no scheduled fire time") });
        insert.Parameters.Add(new NpgsqlParameter { Value = context.Scheduler.SchedulerInstanceId });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
