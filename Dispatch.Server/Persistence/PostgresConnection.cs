using Npgsql;

namespace Dispatch.Server.Persistence;

/// <summary>The server's PostgreSQL connection string, as its sessions should run.</summary>
internal static class PostgresConnection
{
    /// <summary>
    /// The connection string with <c>jit=off</c> for its sessions, unless its Options already say what JIT should do. The
    /// server's statements take milliseconds, and a plan whose estimate crosses <c>jit_above_cost</c> (the held-orders read's
    /// correlated subquery is costed for every row) spent 100–250 ms compiling, for a stretch of batch rounds (docs/benchmarks.md).
    /// </summary>
    public static string WithoutJit(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("jit", StringComparison.OrdinalIgnoreCase) == true) return connectionString;
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c jit=off" : builder.Options + " -c jit=off";
        return builder.ConnectionString;
    }
}
