using Dispatch.Core.Deployment;
using Dispatch.Server.Accounts;
using Dispatch.Server.Auth;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Persistence;

/// <summary>
/// Applies EF Core migrations at start in Development and tests (Database:Migrate=true), and seeds demo couriers in Development.
/// Elsewhere migrations are a deploy step (infra/migrate.sh) and the server refuses to start on a schema that differs.
/// Then, everywhere, re-encrypts the key ring under a rotated key-encryption key and encrypts the personal data of orders
/// an earlier version stored in plain text (Data Protection cannot run in SQL).
/// </summary>
public sealed partial class DatabaseMigrationService(
    IDbContextFactory<DispatchDbContext> dbs,
    Privacy.PersonalDataBackfill backfill,
    Privacy.KeyRingRewrap rewrap,
    IConfiguration config,
    IHostEnvironment environment,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<DatabaseMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment() || config.GetValue<bool>("Database:Migrate"))
        {
            await using var db = await dbs.CreateDbContextAsync(cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            await services.MigrateAccountsAsync(cancellationToken);
            LogMigrated(logger, db.Database.GetDbConnection().Database);
            if (environment.IsDevelopment())
            {
                // Ten demo couriers (demo-0001..demo-0010) to sign in with; POST /dev/fleet makes more.
                await DevApi.EnsureFleetAsync(dbs, "demo", 10, clock.GetUtcNow(), cancellationToken);
            }
        }
        else
        {
            await RequireSchemaAsync(cancellationToken);
        }
        await rewrap.RunAsync(cancellationToken);
        await backfill.RunAsync(cancellationToken);
    }

    /// <summary>
    /// Without start-up migrations the schema must be exactly this version's: an older one lacks columns the code writes, a
    /// newer one may hold data this code would misread. The fix is the deploy step, so the server stops and names it.
    /// </summary>
    private async Task RequireSchemaAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var state = SchemaCheck.Compare(db.Database.GetMigrations().ToList(), (await db.Database.GetAppliedMigrationsAsync(ct)).ToList());
        if (state.UpToDate)
        {
            await using var scope = services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Database;
            state = SchemaCheck.Compare(accounts.GetMigrations().ToList(), (await accounts.GetAppliedMigrationsAsync(ct)).ToList());
            if (state.UpToDate) return;
        }
        var database = db.Database.GetDbConnection().Database ?? "";
        LogSchemaDiffers(logger, database, state.Describe());
        throw new InvalidOperationException($"Database {database}: {state.Describe()}. Run infra/migrate.sh (or Dispatch.Server migrate) as the deploy step before starting this version.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Critical, Message = "Database {Database} does not match this version: {Difference}; run infra/migrate.sh before starting")]
    private static partial void LogSchemaDiffers(ILogger logger, string database, string difference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} is at the latest migration")]
    private static partial void LogMigrated(ILogger logger, string database);
}
