using System.Globalization;
using Dispatch.Server.Archive;
using Dispatch.Server.Schema;
using Dispatch.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dispatch.Tests.Server.Archive;

/// <summary>
/// track_points partitioned by UTC day: the migration keeps every existing row (attached whole, not copied), and the
/// upkeep job creates the coming days' partitions (taking the default partition's rows for them), drops those past the
/// retention (30 days) and prunes the default partition.
/// </summary>
public sealed class TrackPointPartitionTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task The_job_creates_the_days_ahead_moves_their_rows_out_of_the_default_and_drops_old_partitions()
    {
        server.RequireServices();
        var ct = TestContext.Current.CancellationToken;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var old = today.AddDays(-40);
        var ahead = today.AddDays(3);
        // The job's first round at the scheduler's start made today's partition and three days ahead; without the third
        // day's, a fix for it waits in the default partition.
        var aheadName = FormattableString.Invariant($"track_points_p{ahead:yyyyMMdd}");
        await Eventually.WaitForAsync(() => server.ScalarAsync("select count(*) from pg_class where relname = $1", aheadName), n => n == 1, "the first upkeep round", TimeSpan.FromSeconds(60));
        await ExecuteAsync($"drop table {aheadName}");
        // Made after the first round, which would otherwise drop it before the round under test.
        await ExecuteAsync(FormattableString.Invariant($"create table track_points_p{old:yyyyMMdd} partition of track_points for values from ('{old:yyyy-MM-dd} 00:00+00') to ('{old.AddDays(1):yyyy-MM-dd} 00:00+00')"));
        var courier = Guid.NewGuid();
        foreach (var at in new[] { Noon(old), Noon(today), Noon(ahead), Noon(today.AddDays(-45)) })
        {
            await ExecuteAsync("insert into track_points (courier_id, at, position, accuracy) values ($1, $2, 'SRID=4326;POINT(7.42 43.73)'::geography, 5)", courier, at);
        }
        Assert.Equal(2, await server.ScalarAsync("select count(*) from track_points_default where courier_id = $1", courier));

        var (created, dropped) = await server.Services.GetRequiredService<TrackPointPartitionJob>().RunAsync(ct);

        Assert.Equal((1, 1), (created, dropped));
        Assert.Equal(1, await server.ScalarAsync($"select count(*) from {aheadName} where courier_id = $1", courier));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from track_points_default where courier_id = $1", courier));
        Assert.Equal(0, await server.ScalarAsync("select count(*) from pg_class where relname = $1", FormattableString.Invariant($"track_points_p{old:yyyyMMdd}")));
        Assert.Equal(2, await server.ScalarAsync("select count(*) from track_points where courier_id = $1", courier));
        // A second round finds nothing to do.
        Assert.Equal((0, 0), await server.Services.GetRequiredService<TrackPointPartitionJob>().RunAsync(ct));
    }

    [Fact]
    public async Task The_migration_keeps_every_existing_track_point_and_its_down_brings_them_back()
    {
        MigrationScratch.RequireServices();
        var ct = TestContext.Current.CancellationToken;
        await using var scratch = await ScratchDatabase.CreateAsync(MigrationScratch.Name("trackparts"));
        await using var db = MigrateCommand.Open(scratch.ConnectionString);
        var migrator = db.GetService<IMigrator>();
        var known = db.Database.GetMigrations().ToList();
        var partitioning = known.Single(m => m.EndsWith("_TrackPointPartitions", StringComparison.Ordinal));
        await migrator.MigrateAsync(known[known.IndexOf(partitioning) - 1], ct);
        await using var connection = new NpgsqlConnection(scratch.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var insert = new NpgsqlCommand(
            "insert into track_points (courier_id, at, position, accuracy) select gen_random_uuid(), now() - (i || ' hours')::interval, 'SRID=4326;POINT(7.42 43.73)'::geography, 5 from generate_series(0, 999) i",
            connection))
        {
            await insert.ExecuteNonQueryAsync(ct);
        }

        await migrator.MigrateAsync(partitioning, ct);
        Assert.Equal(1000L, await ScalarAsync(connection, "select count(*) from track_points", ct));
        var until = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        Assert.Equal(1000L, await ScalarAsync(connection, $"select count(*) from track_points_until_{until}", ct));
        Assert.Equal(1L, await ScalarAsync(connection, "select count(*) from pg_partitioned_table where partrelid = 'track_points'::regclass", ct));

        await migrator.MigrateAsync(known[known.IndexOf(partitioning) - 1], ct);
        Assert.Equal(1000L, await ScalarAsync(connection, "select count(*) from track_points", ct));
        Assert.Equal(0L, await ScalarAsync(connection, "select count(*) from pg_partitioned_table", ct));
    }

    private static DateTimeOffset Noon(DateOnly day) => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = server.Db.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }
}
