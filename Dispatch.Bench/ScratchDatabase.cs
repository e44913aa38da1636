using Npgsql;

namespace Dispatch.Bench;

/// <summary>The benches' scratch databases: dropped at the end even while autovacuum still works on them.</summary>
internal static class ScratchDatabase
{
    /// <summary>
    /// Drops <paramref name="database"/> WITH (FORCE). An autovacuum worker on it refuses FORCE to a role that is not a superuser
    /// (42501) until it ends, which after a run of a few hundred thousand rows takes tens of seconds: tried for up to two minutes.
    /// </summary>
    public static async Task DropAsync(string adminConnectionString, string database, string tag)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(adminConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 60)
            {
                if (attempt % 10 == 1) Console.WriteLine($"{tag} dropping {database}: {ex.MessageText} (autovacuum on it); waiting for it");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
