namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A <see cref="DispatchServer"/> that reaches PostgreSQL and/or Redis through a <see cref="TcpGate"/>, so a test can start it
/// while a dependency is down and bring the dependency back without restarting the node. Its own database is created
/// directly on the real PostgreSQL beforehand, as a deploy step would.
/// </summary>
public sealed class GatedServer(TcpGate? postgres = null, TcpGate? redis = null) : DispatchServer
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        if (postgres is not null)
        {
            settings["ConnectionStrings:Postgres"] = new Npgsql.NpgsqlConnectionStringBuilder(settings["ConnectionStrings:Postgres"])
            {
                Host = "127.0.0.1",
                Port = postgres.Port,
                Timeout = 2,
            }.ConnectionString;
        }
        if (redis is not null) settings["ConnectionStrings:Redis"] = $"127.0.0.1:{redis.Port},connectTimeout=1000";
        settings["Logging:LogLevel:Default"] = "Critical";
    }
}
