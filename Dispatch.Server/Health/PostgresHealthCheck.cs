using Dispatch.Server.Schema;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Dispatch.Server.Health;

/// <summary>Ready when the start-up schema work is done and PostgreSQL answers a trivial query within a second.</summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource, DatabaseMigrationService startup) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable: " + ex.Message);
        }
        return startup.Completed
            ? HealthCheckResult.Healthy("PostgreSQL answers and the schema is this version's.")
            : HealthCheckResult.Unhealthy("PostgreSQL answers; the start-up migration and schema check have not finished yet.");
    }
}
