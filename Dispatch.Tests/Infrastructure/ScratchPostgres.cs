using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of a test's own (initdb into a temporary folder, a free loopback port, PostGIS in its database), which
/// the test may crash (<c>pg_ctl stop -m immediate</c>) and start again on the same port, never touching the shared one.
/// Needs the Debian packages infra/install.sh installs, and root or the postgres user (initdb refuses root).
/// </summary>
public sealed class ScratchPostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _dir;

    private ScratchPostgres(string dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's connection string: the dispatch role on database dispatch, short timeouts.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Database = "dispatch", Username = "dispatch", Password = "dispatch-dev", Timeout = 2, MaxPoolSize = 40,
    }.ConnectionString;

    public static async Task<ScratchPostgres> StartAsync()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var dir = Path.Combine(Path.GetTempPath(), "dispatch-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        await RunAsync("chown", "postgres", dir);
        var pg = new ScratchPostgres(dir, port);
        await AsPostgresAsync(Path.Combine(Bin, "initdb"), "-D", pg.Data, "-U", "postgres", "--auth-local=trust", "--auth-host=trust", "-E", "UTF8", "--locale=C.UTF-8");
        await File.AppendAllTextAsync(Path.Combine(pg.Data, "postgresql.conf"),
            $"listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{dir}'\nfsync = off\nmax_connections = 100\n");
        await pg.StartAgainAsync();
        await pg.PsqlAsync("postgres", "create role dispatch login createdb password 'dispatch-dev'");
        await pg.PsqlAsync("postgres", "create database dispatch owner dispatch");
        await pg.PsqlAsync("dispatch", "set client_min_messages=warning; create extension if not exists postgis; create extension if not exists pgrouting;");
        return pg;
    }

    private string Data => Path.Combine(_dir, "data");

    /// <summary>A crash: every backend ends at once, no checkpoint; the next start recovers from the log.</summary>
    public Task CrashAsync() => AsPostgresAsync(Path.Combine(Bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");

    public Task StartAgainAsync() =>
        AsPostgresAsync(Path.Combine(Bin, "pg_ctl"), "-D", Data, "-l", Path.Combine(_dir, "postgres.log"), "-w", "-t", "60", "start");

    private Task PsqlAsync(string database, string sql) =>
        AsPostgresAsync(Path.Combine(Bin, "psql"), "-h", _dir, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qc", sql);

    private static Task AsPostgresAsync(params string[] command) =>
        Environment.UserName == "postgres" ? RunAsync(command[0], command[1..]) : RunAsync("runuser", ["-u", "postgres", "--", .. command]);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await error}{await output}");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await AsPostgresAsync(Path.Combine(Bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped (the test crashed it and failed before starting it again).
        }
        Directory.Delete(_dir, recursive: true);
    }
}
