using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A redis-server process of a test's own on a free loopback port (no persistence), which the test may kill and start again
/// on the same port: a real Redis crash and restart, without touching the shared Redis the other tests use.
/// </summary>
public sealed class ScratchRedis : IAsyncDisposable
{
    private Process? _process;

    private ScratchRedis(int port) => Port = port;

    public int Port { get; }

    /// <summary>The connection string a server uses (short connect timeout, so reconnects are tried often).</summary>
    public string ConnectionString => $"127.0.0.1:{Port},connectTimeout=1000";

    public static async Task<ScratchRedis> StartAsync()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var redis = new ScratchRedis(port);
        await redis.RestartAsync();
        return redis;
    }

    /// <summary>SIGKILL: Redis vanishes at once, with everything it held.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts redis-server on <see cref="Port"/> and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        Kill();
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (is it installed? bash infra/install.sh)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.WaitForAsync(() => Task.FromResult(Accepts()), ok => ok, $"redis-server on port {Port}", TimeSpan.FromSeconds(15));
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
