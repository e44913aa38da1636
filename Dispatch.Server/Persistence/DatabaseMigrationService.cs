using Dispatch.Server.Accounts;
using Dispatch.Server.Auth;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Persistence;

/// <summary>
/// Applies EF Core migrations at start in Development and tests (Database:Migrate=true), and seeds demo couriers in Development.
/// Production runs migrations as a deploy step. Then, everywhere, re-encrypts the key ring under a rotated key-encryption key
/// and encrypts the personal data of orders an earlier version stored in plain text (Data Protection cannot run in SQL).
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
        await rewrap.RunAsync(cancellationToken);
        await backfill.RunAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} is at the latest migration")]
    private static partial void LogMigrated(ILogger logger, string database);
}
