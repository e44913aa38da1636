using Dispatch.Core.Deployment;
using Dispatch.Server.Accounts;
using Dispatch.Server.Common;
using Dispatch.Server.Dev;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dispatch.Server.Schema;

/// <summary>
/// Applies EF Core migrations at start in Development and tests (Database:Migrate=true), and seeds demo couriers in Development.
/// Elsewhere migrations are a deploy step (infra/migrate.sh) and the server refuses to start on a schema that differs.
/// Then, everywhere, re-encrypts the key ring under a rotated key-encryption key and encrypts the personal data of orders
/// an earlier version stored in plain text (Data Protection cannot run in SQL).
/// When PostgreSQL cannot be reached at start, the node starts anyway (not ready, see /health/ready) and this work is retried
/// in the background until the database answers; a schema that differs still stops the node.
/// </summary>
internal sealed partial class DatabaseMigrationService(
    IDbContextFactory<DispatchDbContext> dbs,
    Privacy.PersonalDataBackfill backfill,
    Privacy.KeyRingRewrap rewrap,
    IConfiguration config,
    IHostEnvironment environment,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<DatabaseMigrationService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;
    private volatile bool _completed;

    /// <summary>True once migrations (or the schema check), the key-ring rewrap and the backfill have run.</summary>
    public bool Completed => _completed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PrepareAsync(cancellationToken);
            return;
        }
        catch (Exception ex) when (DependencyDown.Of(ex) is not null)
        {
            LogWaiting(logger, MaxPause.TotalSeconds, ex);
        }
        _retrying = RetryAsync(_stopping.Token);
    }

    /// <summary>Tries again with a doubling pause (at most <see cref="MaxPause"/>) while the database is unreachable.</summary>
    private async Task RetryAsync(CancellationToken ct)
    {
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await Task.Delay(pause, clock, ct);
                await PrepareAsync(ct);
                LogReachable(logger);
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DependencyDown.Of(ex) is not null)
            {
                pause = pause * 2 < MaxPause ? pause * 2 : MaxPause;
            }
            catch (Exception ex)
            {
                // A schema that differs (or any other failure) is what stops a node at start when the database is up: same here.
                LogStartupFailed(logger, ex);
                lifetime.StopApplication();
                return;
            }
        }
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
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
        _completed = true;
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

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retrying.WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL cannot be reached at start; the node starts not ready and retries the schema work every {MaxPauseSeconds} s at most")]
    private static partial void LogWaiting(ILogger logger, double maxPauseSeconds, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL reached; the start-up schema work is done and the node can be ready")]
    private static partial void LogReachable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Start-up schema work failed once PostgreSQL was reached; stopping the node")]
    private static partial void LogStartupFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Database {Database} does not match this version: {Difference}; run infra/migrate.sh before starting")]
    private static partial void LogSchemaDiffers(ILogger logger, string database, string difference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} is at the latest migration")]
    private static partial void LogMigrated(ILogger logger, string database);
}
