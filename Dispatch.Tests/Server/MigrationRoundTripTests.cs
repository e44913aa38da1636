using Dispatch.Server.Schema;
using Dispatch.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Dispatch.Tests.Server;

/// <summary>
/// Every migration's Down undoes exactly its Up: on a scratch database the schema after going up to each migration is the
/// schema after coming back down to it from the head, and going up again ends where the first climb did. A Down that
/// forgets an index, a column or a trigger shows here as the lines that differ.
/// </summary>
public sealed class MigrationRoundTripTests
{
    [Fact]
    public async Task Each_migration_goes_down_to_the_schema_it_came_up_from_and_up_again()
    {
        MigrationScratch.RequireServices();
        var ct = TestContext.Current.CancellationToken;
        await using var scratch = await ScratchDatabase.CreateAsync(MigrationScratch.Name("roundtrip"));
        await using var db = MigrateCommand.Open(scratch.ConnectionString);
        var migrator = db.GetService<IMigrator>();
        var known = db.Database.GetMigrations().ToList();

        var climbed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in known)
        {
            await migrator.MigrateAsync(id, ct);
            climbed[id] = await SchemaFingerprint.OfAsync(scratch.ConnectionString);
        }
        for (var i = known.Count - 2; i >= 0; i--)
        {
            await migrator.MigrateAsync(known[i], ct);
            AssertSame(climbed[known[i]], await SchemaFingerprint.OfAsync(scratch.ConnectionString), $"after undoing {known[i + 1]}");
        }
        await migrator.MigrateAsync(cancellationToken: ct);
        AssertSame(climbed[known[^1]], await SchemaFingerprint.OfAsync(scratch.ConnectionString), "after going up to the head again");
    }

    private static void AssertSame(string expected, string actual, string when)
    {
        if (expected == actual) return;
        var before = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
        var after = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
        Assert.Fail($"schema differs {when}:\n  missing: {string.Join("\n           ", before.Except(after))}\n  extra:   {string.Join("\n           ", after.Except(before))}");
    }
}
