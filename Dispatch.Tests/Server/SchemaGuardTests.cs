using System.Security.Cryptography;
using Dispatch.Server;
using Dispatch.Server.Schema;
using Dispatch.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>
/// In Production migrations are a deploy step: the server refuses to start on a database that lacks one of its migrations
/// or has one it does not know, and says to run infra/migrate.sh; it changes nothing.
/// </summary>
public sealed class SchemaGuardTests
{
    [Fact]
    public async Task Production_refuses_to_start_on_a_database_that_lacks_a_migration()
    {
        MigrationScratch.RequireServices();
        await using var scratch = await ScratchDatabase.CreateAsync(MigrationScratch.Name("older"));
        var known = KnownMigrations(scratch);
        Assert.Equal(0, await MigrateCommand.RunAsync(scratch.ConnectionString, known[^2], TextWriter.Null, TestContext.Current.CancellationToken));

        var refusal = await StartProductionAsync(scratch);

        Assert.Contains($"lacks 1 migration(s) of this version ({known[^1]})", refusal, StringComparison.Ordinal);
        Assert.Contains("Run infra/migrate.sh", refusal, StringComparison.Ordinal);
        Assert.Equal(known.Count - 1, await CountAppliedAsync(scratch));
    }

    [Fact]
    public async Task Production_refuses_to_start_on_a_database_a_newer_version_migrated()
    {
        MigrationScratch.RequireServices();
        await using var scratch = await ScratchDatabase.CreateAsync(MigrationScratch.Name("newer"));
        var known = KnownMigrations(scratch);
        Assert.Equal(0, await MigrateCommand.RunAsync(scratch.ConnectionString, null, TextWriter.Null, TestContext.Current.CancellationToken));
        await using (var connection = new NpgsqlConnection(scratch.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var insert = new NpgsqlCommand("insert into \"__EFMigrationsHistory\" values ('29991231000000_FromANewerVersion', '99.0.0')", connection);
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var refusal = await StartProductionAsync(scratch);

        Assert.Contains("does not know (29991231000000_FromANewerVersion); a newer version migrated it", refusal, StringComparison.Ordinal);
        Assert.Equal(known.Count + 1, await CountAppliedAsync(scratch));
    }

    /// <summary>Starts the server as deployed (Production, every secret, no start-up migrations) and returns why it refused.</summary>
    private static async Task<string> StartProductionAsync(ScratchDatabase scratch)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = scratch.ConnectionString,
            ["ConnectionStrings:Redis"] = ServiceSettings.Redis,
            ["Dispatch:RedisPrefix"] = $"schema-guard-{Guid.NewGuid():N}:",
            ["Auth:SigningKey"] = Secret(),
            ["Auth:LinkSigningKey"] = Secret(),
            ["Payments:CallbackSecret"] = Secret(),
            ["Privacy:KeyEncryptionKey"] = Secret(),
            ["Privacy:PhoneHashKey"] = Secret(),
            ["Logging:LogLevel:Default"] = "None",
        };
        await using var app = ServerComposition.Build(["--environment", "Production", "--urls", "http://127.0.0.1:0"],
            b => b.Configuration.AddInMemoryCollection(settings));
        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        return refusal.Message;
    }

    private static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    private static List<string> KnownMigrations(ScratchDatabase scratch)
    {
        using var db = MigrateCommand.Open(scratch.ConnectionString);
        return db.Database.GetMigrations().ToList();
    }

    private static async Task<int> CountAppliedAsync(ScratchDatabase scratch)
    {
        await using var db = MigrateCommand.Open(scratch.ConnectionString);
        return (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).Count();
    }
}
