using Npgsql;
using StackExchange.Redis;

namespace Dispatch.Server.Common;

/// <summary>Tells an exception caused by PostgreSQL or Redis being unreachable (worth retrying) from every other failure.</summary>
internal static class DependencyDown
{
    public const string Postgres = "PostgreSQL";
    public const string Redis = "Redis";

    /// <summary>Seconds a client is told to wait before retrying a command refused while a dependency is down.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The unreachable dependency behind <paramref name="exception"/> (inner exceptions included), or null.</summary>
    public static string? Of(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case RedisConnectionException or RedisTimeoutException:
                    return Redis;
                case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException:
                    return Postgres;
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" }:
                    // admin_shutdown, crash_shutdown, cannot_connect_now (starting up), too_many_connections.
                    return Postgres;
            }
        }
        return null;
    }

    /// <summary>What a refused caller is told: which dependency, that nothing was changed, and when to retry.</summary>
    public static string Message(string dependency) =>
        $"{dependency} cannot be reached from this node right now; the command was not carried out. Retry in {RetryAfterSeconds} seconds.";
}
