using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Dispatch.Tests.Infrastructure;

/// <summary>
/// A server node as a process of its own (dotnet Dispatch.Server.dll, the build next to the tests), so a test can SIGKILL it
/// mid-work as an operator's machine would lose it: no stopping hooks run, its leases are not given back.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, Uri baseUrl)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = baseUrl };
    }

    public HttpClient Http { get; }

    public int Pid => _process.Id;

    /// <summary>Starts a node with <paramref name="settings"/> (configuration keys, e.g. from <see cref="ExtraNode.SettingsOf"/>) and waits until it is live.</summary>
    public static async Task<NodeProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var url = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Dispatch.Server.dll"), "--urls", url.ToString().TrimEnd('/'), "--environment", "Development" })
            start.ArgumentList.Add(arg);
        if (DispatchServer.ServerProjectFolder() is { } contentRoot)
        {
            start.ArgumentList.Add("--contentRoot");
            start.ArgumentList.Add(contentRoot);
        }
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet Dispatch.Server.dll did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, url);
        try
        {
            await Eventually.WaitForAsync(node.LiveAsync, live => live || process.HasExited, "the node process answering /health/live", TimeSpan.FromSeconds(90));
            if (process.HasExited) throw new InvalidOperationException($"the node process exited with {process.ExitCode}");
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    private async Task<bool> LiveAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(Dispatch.Server.Health.HealthEndpoints.Live, UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: the process ends at once, mid-whatever it was doing.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        Http.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
