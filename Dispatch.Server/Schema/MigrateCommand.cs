using System.Reflection;
using Dispatch.Core.Deployment;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Dispatch.Server.Schema;

/// <summary>
/// The deploy step (infra/migrate.sh, or <c>Dispatch.Server migrate [--to Migration]</c> in a container): applies this
/// version's migrations, or undoes those newer than a named one. Refuses a database a newer version migrated, and a rollback
/// through a migration marked <see cref="NotReversibleAttribute"/>. Exit codes: 0 done, 1 a migration failed, 2 refused (nothing changed).
/// </summary>
internal static class MigrateCommand
{
    public const int Refused = 2;

    /// <summary>The verb: connection from ConnectionStrings__Postgres, as the server reads it.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string? target = null;
        if (args is ["--to", var to]) target = to;
        else if (args.Length > 0)
        {
            await Console.Error.WriteLineAsync("usage: Dispatch.Server migrate [--to <Migration>]  (--to 0 undoes them all)");
            return Refused;
        }
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        if (string.IsNullOrEmpty(connection))
        {
            await Console.Error.WriteLineAsync("[migrate] ConnectionStrings__Postgres is not set; infra/migrate.sh reads it from .data/services.env");
            return Refused;
        }
        try
        {
            return await RunAsync(connection, target, Console.Out, CancellationToken.None);
        }
        catch (System.Data.Common.DbException e)
        {
            // PostgreSQL runs each migration's statements in a transaction: the one that failed left nothing behind.
            await Console.Error.WriteLineAsync($"[migrate] failed: {e.Message}; the migrations before it stay applied (see __EFMigrationsHistory)");
            return 1;
        }
    }

    public static async Task<int> RunAsync(string connectionString, string? target, TextWriter output, CancellationToken ct)
    {
        await using var db = Open(connectionString);
        var known = db.Database.GetMigrations().ToList();
        var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToList();
        var state = SchemaCheck.Compare(known, applied);
        var database = db.Database.GetDbConnection().Database;
        if (state.Unknown.Count > 0)
        {
            await output.WriteLineAsync($"[migrate] refused: {state.Describe()}. Deploy that version, or roll back with its infra/migrate.sh --to {known[^1]}.");
            return Refused;
        }
        var migrator = db.GetService<IMigrator>();
        if (target is null)
        {
            if (state.Pending.Count == 0)
            {
                await output.WriteLineAsync($"[migrate] {database} is already at {Latest(applied)}");
            }
            else
            {
                await migrator.MigrateAsync(cancellationToken: ct);
                await output.WriteLineAsync($"[migrate] {database}: applied {string.Join(", ", state.Pending)}; now at {known[^1]}");
            }
            return await MigrateAccountsAsync(connectionString, output, ct);
        }

        var resolved = SchemaCheck.Resolve(known, target);
        if (resolved is null)
        {
            await output.WriteLineAsync($"[migrate] refused: --to '{target}' is not a migration of this version; known: 0 (empty), {string.Join(", ", known)}");
            return Refused;
        }
        var plan = SchemaCheck.PlanRollback(known, applied, resolved, NotReversible(db));
        if (plan.Refusal is not null)
        {
            await output.WriteLineAsync($"[migrate] refused: {plan.Refusal}");
            return Refused;
        }
        // A target ahead of the database applies up to it; one behind undoes the plan's migrations, newest first.
        await migrator.MigrateAsync(resolved, ct);
        await output.WriteLineAsync(plan.Revert.Count > 0
            ? $"[migrate] {database}: undid {string.Join(", ", plan.Revert)}; now at {resolved}"
            : $"[migrate] {database}: now at {Latest((await db.Database.GetAppliedMigrationsAsync(ct)).ToList())}");
        return 0;
    }

    /// <summary>A context for migrating only: no personal-data encryption, as at design time (no row is read or written).</summary>
    /// <summary>
    /// The accounts tables (their own context and history table, <see cref="Accounts.AccountsDbContext"/>) are brought up
    /// with the rest; they are rolled back by hand only (their one migration creates them).
    /// </summary>
    private static async Task<int> MigrateAccountsAsync(string connectionString, TextWriter output, CancellationToken ct)
    {
        await using var accounts = OpenAccounts(connectionString);
        var known = accounts.Database.GetMigrations().ToList();
        var state = SchemaCheck.Compare(known, [.. await accounts.Database.GetAppliedMigrationsAsync(ct)]);
        if (state.Unknown.Count > 0)
        {
            await output.WriteLineAsync($"[migrate] refused: accounts tables: {state.Describe()}.");
            return Refused;
        }
        if (state.Pending.Count == 0) return 0;
        await accounts.Database.MigrateAsync(ct);
        await output.WriteLineAsync($"[migrate] accounts tables: applied {string.Join(", ", state.Pending)}");
        return 0;
    }

    internal static Accounts.AccountsDbContext OpenAccounts(string connectionString) =>
        new(Accounts.AccountsComposition.Configure(new DbContextOptionsBuilder<Accounts.AccountsDbContext>(),
            b => b.UseNpgsql(connectionString, Accounts.AccountsComposition.Npgsql)).Options as DbContextOptions<Accounts.AccountsDbContext>
            ?? throw new InvalidOperationException("Accounts options"));

    internal static DispatchDbContext Open(string connectionString)
    {
        var options = new DbContextOptionsBuilder<DispatchDbContext>()
            .UseNpgsql(connectionString, n => n.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention();
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new MigrationsOnlyOptionsExtension());
        return new DispatchDbContext(options.Options);
    }

    /// <summary>Migration id → why it is not reversible, from <see cref="NotReversibleAttribute"/> on the migration classes.</summary>
    internal static IReadOnlyDictionary<string, string> NotReversible(DispatchDbContext db) =>
        db.GetService<IMigrationsAssembly>().Migrations
            .Select(m => (m.Key, Attribute: m.Value.GetCustomAttribute<NotReversibleAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToDictionary(m => m.Key, m => m.Attribute!.Reason, StringComparer.Ordinal);

    private static string Latest(List<string> applied) => applied.Count == 0 ? "the empty schema" : applied.Max(StringComparer.Ordinal)!;
}
