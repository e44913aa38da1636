using Dispatch.Server.Persistence;
using Dispatch.Tests.Infrastructure;
using Npgsql;

namespace Dispatch.Tests.Server;

/// <summary>
/// The server's PostgreSQL sessions run without JIT (<see cref="PostgresConnection.WithoutJit"/>): a batch round's read whose
/// plan estimate crossed jit_above_cost spent 100–250 ms compiling. An operator's own JIT choice in the Options is kept.
/// </summary>
public sealed class PostgresSessionTests(DispatchServer server) : IClassFixture<DispatchServer>
{
    [Fact]
    public async Task The_servers_sessions_run_without_jit()
    {
        server.RequireServices();
        await using var command = server.Db.CreateCommand("show jit");
        Assert.Equal("off", await command.ExecuteScalarAsync());
    }

    [Fact]
    public void An_operators_jit_choice_and_other_options_are_kept()
    {
        var own = new NpgsqlConnectionStringBuilder(PostgresConnection.WithoutJit("Host=db;Options=-c jit=on"));
        Assert.Equal("-c jit=on", own.Options);
        var other = new NpgsqlConnectionStringBuilder(PostgresConnection.WithoutJit("Host=db;Options=-c statement_timeout=5000"));
        Assert.Equal("-c statement_timeout=5000 -c jit=off", other.Options);
        Assert.Equal("db", other.Host);
    }
}
