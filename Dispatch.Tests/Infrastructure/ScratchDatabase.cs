using Npgsql;

namespace Dispatch.Tests.Infrastructure;

/// <summary>An empty database of its own for one test (another deployment, an older schema), dropped when disposed.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _name;

    private ScratchDatabase(string name)
    {
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(ServiceSettings.Postgres) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(string name)
    {
        await using var admin = new NpgsqlConnection(ServiceSettings.Postgres);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template1", admin);
        await create.ExecuteNonQueryAsync();
        return new ScratchDatabase(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await DropAsync(_name);
    }

    /// <summary>
    /// Drops <paramref name="name"/> WITH (FORCE). An autovacuum worker on it (a freshly migrated database has many new
    /// tables) refuses FORCE to a role that is not a superuser (42501) until it ends: tried again for up to a minute.
    /// </summary>
    public static async Task DropAsync(string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var admin = new NpgsqlConnection(ServiceSettings.Postgres);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 120)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}
