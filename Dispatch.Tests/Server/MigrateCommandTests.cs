using Dispatch.Server.Schema;
using Dispatch.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>
/// The deploy step (infra/migrate.sh → Dispatch.Server migrate): applies what is missing, undoes back to a named migration,
/// and refuses, changing nothing, a database a newer version migrated or a rollback through a migration marked not reversible.
/// </summary>
public sealed class MigrateCommandTests
{
    private const string Future = "29991231000000_FromANewerVersion";

    [Fact]
    public async Task An_older_database_gets_the_missing_migrations()
    {
        MigrationScratch.RequireServices();
        await using var scratch = await ScratchDatabase.CreateAsync(MigrationScratch.Name("older"));
        var known = Known(scratch);
        Assert.Equal(0, await RunAsync(scratch, known[^3]));

        var (code, output) = await RunWithOutputAsync(scratch, null);

        Assert.Equal(0, code);
        Assert.Contains($"applied {known[^2]}, {known[^1]}; now at {known[^1]}", output, StringComparison.Ordinal);
        Assert.Equal(known, await AppliedAsync(scratch));
    }

    [Fact]
    public async Task A_database_a_newer_version_migrated_is_refused_and_left_as_it_is()
    {
        MigrationScratch.RequireServices();
        await using var scratch = await ScratchDatabase.CreateAsync(MigrationScratch.Name("newer"));
        var known = Known(scratch);
        Assert.Equal(0, await RunAsync(scratch, null));
        await ExecuteAsync(scratch, $"insert into \"__EFMigrationsHistory\" values ('{Future}', '99.0.0')");

        var (code, output) = await RunWithOutputAsync(scratch, null);
        var (rollbackCode, rollbackOutput) = await RunWithOutputAsync(scratch, known[^3]);

        Assert.Equal(MigrateCommand.Refused, code);
        Assert.Contains($"refused: the database has 1 migration(s) this version does not know ({Future}); a newer version migrated it", output, StringComparison.Ordinal);
        Assert.Equal(MigrateCommand.Refused, rollbackCode);
        Assert.Contains(Future, rollbackOutput, StringComparison.Ordinal);
        Assert.Equal([.. known, Future], await AppliedAsync(scratch));
    }

    [Fact]
    public async Task A_rollback_undoes_reversible_migrations_and_refuses_one_marked_not_reversible()
    {
        MigrationScratch.RequireServices();
        await using var scratch = await ScratchDatabase.CreateAsync(MigrationScratch.Name("rollback"));
        var known = Known(scratch);
        Assert.Equal(0, await RunAsync(scratch, null));

        var (code, output) = await RunWithOutputAsync(scratch, "EncryptPersonalData");

        // Whatever came after EncryptPersonalData (the outbox, and any later reversible migration) is undone, newest first.
        var encrypt = known.Single(k => k.EndsWith("_EncryptPersonalData", StringComparison.Ordinal));
        var kept = known.TakeWhile(k => k != encrypt).Append(encrypt).ToList();
        Assert.Equal(0, code);
        Assert.Contains($"undid {string.Join(", ", known.Except(kept).Reverse())}; now at {encrypt}", output, StringComparison.Ordinal);
        Assert.Equal("false", await ScalarAsync(scratch, "select (to_regclass('outbox') is not null)::text"));

        var (refusedCode, refusal) = await RunWithOutputAsync(scratch, "DeliveryPinLockAndPlace");

        Assert.Equal(MigrateCommand.Refused, refusedCode);
        Assert.Contains($"{encrypt} is not reversible (it cannot decrypt in SQL", refusal, StringComparison.Ordinal);
        Assert.Equal(kept, await AppliedAsync(scratch));
    }

    [Fact]
    public async Task An_unknown_target_is_refused_with_the_names_it_knows()
    {
        MigrationScratch.RequireServices();
        await using var scratch = await ScratchDatabase.CreateAsync(MigrationScratch.Name("unknown"));

        var (code, output) = await RunWithOutputAsync(scratch, "Outbx");

        Assert.Equal(MigrateCommand.Refused, code);
        Assert.Contains("--to 'Outbx' is not a migration of this version; known: 0 (empty), 20261125022704_Initial,", output, StringComparison.Ordinal);
        Assert.Empty(await AppliedAsync(scratch));
    }

    private static List<string> Known(ScratchDatabase scratch)
    {
        using var db = MigrateCommand.Open(scratch.ConnectionString);
        return db.Database.GetMigrations().ToList();
    }

    private static async Task<int> RunAsync(ScratchDatabase scratch, string? target) => (await RunWithOutputAsync(scratch, target)).Code;

    private static async Task<(int Code, string Output)> RunWithOutputAsync(ScratchDatabase scratch, string? target)
    {
        await using var output = new StringWriter();
        var code = await MigrateCommand.RunAsync(scratch.ConnectionString, target, output, TestContext.Current.CancellationToken);
        return (code, output.ToString());
    }

    private static async Task<List<string>> AppliedAsync(ScratchDatabase scratch)
    {
        await using var db = MigrateCommand.Open(scratch.ConnectionString);
        return [.. (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).Order(StringComparer.Ordinal)];
    }

    private static async Task ExecuteAsync(ScratchDatabase scratch, string sql) => await ScalarAsync(scratch, sql);

    private static async Task<string?> ScalarAsync(ScratchDatabase scratch, string sql)
    {
        await using var connection = new NpgsqlConnection(scratch.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))?.ToString();
    }
}
