using System.Diagnostics;
using System.Globalization;
using Dispatch.Server.Auth;
using Microsoft.Extensions.Options;

namespace Dispatch.Bench.Scale;

/// <summary>
/// <c>connections --hub URL --pid PID --metrics URL [--connections 19000] [--sources 4] [--parallel 64] [--label L] [--hold-seconds 0] [--go-file PATH]</c>
/// (infra/bench-connections.sh): opens N idle SignalR WebSocket connections (JSON protocol, no negotiate, as the courier app
/// does) from several 127.0.0.x addresses to one server process, keeps them alive with pings, and reports the server's
/// resident memory and managed heap per connection (after − before ÷ held). With <c>--role courier</c> each connection
/// carries its own courier token signed with <c>Auth__SigningKey</c>, as a courier's would. Prints one CONNECTIONS line, then
/// keeps the connections open for <c>--hold-seconds</c> (time to take a heap dump of the server holding them). With
/// <c>--go-file</c> it waits after reading "before" until that file exists (time to dump the server before the connections).
/// </summary>
public static class ConnectionsBenchmark
{
    private const string Tag = "[bench-connections]";
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(10);
    private const int Attempts = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var o = new BenchArgs(args);
        var hub = new Uri(o.Text("hub", "http://127.0.0.1:5191/hubs/courier"));
        var pid = o.Number("pid", 0);
        var metrics = new Uri(o.Text("metrics", "http://127.0.0.1:5191/metrics"));
        var count = o.Number("connections", 19_000);
        var sources = o.Number("sources", 4);
        var parallel = o.Number("parallel", 64);
        var warmup = o.Number("warmup", 500);
        var label = o.Text("label", "server");
        var role = o.Optional("role");
        var hold = o.Number("hold-seconds", 0, min: 0);
        var goFile = o.Optional("go-file");
        o.EnsureAllKnown();

        var tokens = role is null ? null : Tokens(role);
        using var addresses = new SourceAddresses(sources);
        using var http = new HttpClient();
        using var stop = new CancellationTokenSource();
        var held = new List<RawHubSocket>(count);
        var pinging = PingLoopAsync(held, stop.Token);
        try
        {
            // Warm-up: the connect path's code and pools, then closed, so "before" is a server that has served connections.
            var warm = await OpenAsync(hub, tokens, addresses, warmup, parallel, [], CancellationToken.None);
            foreach (var socket in warm.Opened) await socket.DisposeAsync();
            await SettleAsync(pid, TimeSpan.FromSeconds(20));
            var rssBefore = ProcessMemory.ResidentBytes(pid);
            var gcBefore = await ProcessMemory.GcHeapBytesAsync(http, metrics, CancellationToken.None);
            var committedBefore = await ProcessMemory.GcCommittedBytesAsync(http, metrics, CancellationToken.None);
            Console.WriteLine(Fmt($"{Tag} {label}: before {Mib(rssBefore):F1} MiB resident, managed heap {Mib(gcBefore ?? 0):F1} MiB; opening {count} connections from {sources} source addresses, {parallel} at a time"));

            if (goFile is not null)
            {
                Console.WriteLine($"{Tag} {label}: waiting for {goFile}");
                while (!File.Exists(goFile)) await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
            var clock = Stopwatch.StartNew();
            var opened = await OpenAsync(hub, tokens, addresses, count, parallel, held, CancellationToken.None);
            var connectSeconds = clock.Elapsed.TotalSeconds;
            var rssAfter = await SettleAsync(pid, TimeSpan.FromSeconds(30));
            var gcAfter = await ProcessMemory.GcHeapBytesAsync(http, metrics, CancellationToken.None);
            var committedAfter = await ProcessMemory.GcCommittedBytesAsync(http, metrics, CancellationToken.None);
            var open = held.Count(s => s.Open);
            var perRss = (double)(rssAfter - rssBefore) / Math.Max(1, open);
            var perGc = gcBefore is { } gb && gcAfter is { } ga ? (double)(ga - gb) / Math.Max(1, open) : double.NaN;
            var perCommitted = committedBefore is { } cb && committedAfter is { } ca ? (double)(ca - cb) / Math.Max(1, open) : double.NaN;
            Console.WriteLine(Fmt($"{Tag} {label}: {open} of {count} open after settling ({opened.Failed} failed) in {connectSeconds:F1} s ({count / connectSeconds:F0}/s); after {Mib(rssAfter):F1} MiB resident, managed heap {Mib(gcAfter ?? 0):F1} MiB"));
            Console.WriteLine(Fmt($"CONNECTIONS label={label} held={open} failed={opened.Failed} connect_s={connectSeconds:F1} rss_before={rssBefore} rss_after={rssAfter} rss_per_connection={perRss:F0} gc_before={gcBefore ?? 0} gc_after={gcAfter ?? 0} gc_per_connection={perGc:F0} committed_before={committedBefore ?? 0} committed_after={committedAfter ?? 0} committed_per_connection={perCommitted:F0}"));
            if (hold > 0)
            {
                Console.WriteLine(Fmt($"{Tag} {label}: holding {open} connections for {hold} s"));
                await Task.Delay(TimeSpan.FromSeconds(hold));
            }
            return open >= count * 0.99 ? 0 : 1;
        }
        finally
        {
            await stop.CancelAsync();
            await pinging;
            await Task.WhenAll(held.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    private static Func<int, string> Tokens(string role)
    {
        var key = Environment.GetEnvironmentVariable("Auth__SigningKey")
            ?? throw new InvalidOperationException("--role needs Auth__SigningKey, the server's signing key, in the environment.");
        var issuer = new TokenIssuer(Options.Create(new AuthOptions { SigningKey = key }), TimeProvider.System);
        return _ => issuer.Issue(Guid.NewGuid().ToString(), role, lifetime: TimeSpan.FromHours(2));
    }

    private static async Task<(List<RawHubSocket> Opened, int Failed)> OpenAsync(
        Uri hub, Func<int, string>? tokens, SourceAddresses addresses, int count, int parallel, List<RawHubSocket> into, CancellationToken ct)
    {
        var failed = 0;
        var next = -1;
        var progress = Stopwatch.StartNew();
        async Task WorkerAsync()
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                // A refused or timed-out handshake is tried again, as the courier app reconnects; every attempt that failed counts.
                for (var attempt = 1; attempt <= Attempts; attempt++)
                {
                    try
                    {
                        var socket = await RawHubSocket.ConnectAsync(hub, tokens?.Invoke(n), addresses.For(n), null, ct);
                        lock (into)
                        {
                            into.Add(socket);
                            if (progress.Elapsed > TimeSpan.FromSeconds(5))
                            {
                                Console.WriteLine($"{Tag}   {into.Count} open, {failed} failed attempts");
                                progress.Restart();
                            }
                        }
                        break;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        if (Interlocked.Increment(ref failed) <= 5) Console.WriteLine($"{Tag}   ! connection {n}, attempt {attempt}: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(WorkerAsync, ct)));
        return (into, failed);
    }

    /// <summary>Samples the resident set each second until three samples in a row move less than 0.5 %, or the limit.</summary>
    private static async Task<long> SettleAsync(int pid, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var last = ProcessMemory.ResidentBytes(pid);
        var steady = 0;
        while (clock.Elapsed < limit && steady < 3)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = ProcessMemory.ResidentBytes(pid);
            steady = Math.Abs(now - last) < last * 0.005 ? steady + 1 : 0;
            last = now;
        }
        return last;
    }

    private static async Task PingLoopAsync(List<RawHubSocket> held, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(PingEvery);
            while (await timer.WaitForNextTickAsync(ct))
            {
                RawHubSocket[] sockets;
                lock (held) sockets = [.. held];
                foreach (var socket in sockets)
                {
                    try
                    {
                        await socket.PingAsync(ct);
                    }
                    catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or ObjectDisposedException)
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static double Mib(long bytes) => bytes / 1048576.0;

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
