extern alias CourierApp;

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CourierApp::Dispatch.Courier.Cli;
using StackExchange.Redis;

namespace Dispatch.Bench.Scale;

/// <summary>
/// <c>ingest --server URL --nodes URL[,URL…] --redis HOST:PORT [--couriers 5000] [--seconds 20] [--batch 10] [--connect-rate 250]</c>
/// (infra/bench-ingest.sh): the Courier app's <c>bench</c> load (N couriers over WebSockets + MessagePack, each sending
/// batches of fixes back to back) against <c>--server</c> (a node or the balancer), measured where the fixes land: every
/// second it reads each node's flushed-fix counter and location-queue gauge, and Redis's own GEOADD count
/// (<c>INFO commandstats</c>). Prints an INGEST line: fixes written to Redis per second over the sending window, GEOADDs
/// per second and per flush (the pipelining the baseline should use), and the queues' bytes at the end of the load.
/// </summary>
public static class IngestionBenchmark
{
    private const string Tag = "[bench-ingest]";
    private const string QueueGauge = "dispatch_location_queue_size_bytes";

    public static async Task<int> RunAsync(string[] args)
    {
        var o = new BenchArgs(args);
        var server = new Uri(o.Text("server", "http://127.0.0.1:5193"));
        var nodes = o.Text("nodes", server.ToString()).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => new Uri(n)).ToArray();
        var redisAddress = o.Text("redis", "127.0.0.1:6379");
        var couriers = o.Number("couriers", 5_000);
        var seconds = o.Number("seconds", 20);
        var batch = o.Number("batch", 10);
        var connectRate = o.Number("connect-rate", 250);
        var label = o.Text("label", $"{nodes.Length} node(s)");
        o.EnsureAllKnown();

        using var http = new HttpClient();
        var token = await AdminTokenAsync(http, nodes[0]);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress + ",allowAdmin=true,syncTimeout=30000,asyncTimeout=30000");
        var samples = new List<Sample>();
        using var stop = new CancellationTokenSource();
        var sampling = SampleEverySecondAsync(http, token, nodes, redis, samples, stop.Token);

        Console.WriteLine($"{Tag} {label}: {couriers} couriers against {server}, {batch} fixes per call, {seconds} s; reading {string.Join(", ", nodes.Select(n => n.Authority))} and Redis {redisAddress}");
        var load = CliArgs.Parse(["bench", "--couriers", Inv(couriers), "--seconds", Inv(seconds), "--fixes-per-batch", Inv(batch),
            "--connections-per-second", Inv(connectRate), "--prefix", "ingest"]);
        var code = await BenchCommand.ExecuteAsync(load, server, CancellationToken.None);
        var end = await SampleAsync(http, token, nodes, redis);
        lock (samples) samples.Add(end);
        // A few seconds more: what the queues still held is flushed (or shed) after the load stops.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await sampling;
        var final = await SampleAsync(http, token, nodes, redis);

        // The sending window: from the last sample before the flushed count started rising to the first after it stopped.
        List<Sample> all;
        lock (samples) all = [.. samples, final];
        var first = all.FindLastIndex(s => s.Flushed == all[0].Flushed);
        var last = all.FindIndex(s => s.Flushed == final.Flushed);
        if (first < 0 || last <= first) throw new InvalidOperationException("no fixes reached Redis; see the server's log");
        var (a, b) = (all[first], all[last]);
        var window = (b.At - a.At).TotalSeconds;
        var fixesPerSecond = (b.Flushed - a.Flushed) / window;
        var geoaddPerSecond = (b.GeoAdds - a.GeoAdds) / window;
        var perFlush = (double)(b.GeoAdds - a.GeoAdds) / Math.Max(1, b.Flushes - a.Flushes);
        var queueMax = all.Max(s => s.QueueBytes);
        Console.WriteLine(Fmt($"{Tag} {label}: {b.Flushed - a.Flushed} fixes written to Redis in {window:F1} s, {b.GeoAdds - a.GeoAdds} GEOADDs in {b.Flushes - a.Flushes} flushes; queues {end.QueueBytes} bytes at the end of the load (max {queueMax}), {final.QueueBytes} three seconds later; shed {final.Shed}"));
        Console.WriteLine(Fmt($"INGEST label={label.Replace(' ', '_')} nodes={nodes.Length} fixes_per_s={fixesPerSecond:F0} geoadd_per_s={geoaddPerSecond:F0} geoadd_per_flush={perFlush:F0} queue_bytes_end={end.QueueBytes} queue_bytes_max={queueMax} shed={final.Shed} window_s={window:F1}"));
        return code;
    }

    private static async Task<string> AdminTokenAsync(HttpClient http, Uri node)
    {
        var response = await http.PostAsJsonAsync(new Uri(node, "/dev/token"), new { role = "admin", subject = "bench-ingest" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private static async Task SampleEverySecondAsync(HttpClient http, string token, Uri[] nodes, ConnectionMultiplexer redis, List<Sample> samples, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                try
                {
                    var sample = await SampleAsync(http, token, nodes, redis);
                    lock (samples) samples.Add(sample);
                }
                catch (Exception ex) when (ex is RedisException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    // The load shares this process's thread pool: a late reading is skipped, the next one counts.
                    Console.WriteLine($"{Tag}   a reading was skipped: {ex.GetType().Name}");
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<Sample> SampleAsync(HttpClient http, string token, Uri[] nodes, ConnectionMultiplexer redis)
    {
        var geoAdds = await GeoAddCallsAsync(redis);
        var at = DateTimeOffset.UtcNow;
        long flushed = 0, flushes = 0, queue = 0, shed = 0;
        foreach (var node in nodes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node, "/api/metrics/pipeline"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var stats = await response.Content.ReadFromJsonAsync<JsonElement>();
            flushed += stats.GetProperty("fixesFlushedToRedis").GetInt64();
            flushes += stats.GetProperty("flushes").GetInt64();
            shed += stats.GetProperty("fixesShed").GetInt64();
            var text = await http.GetStringAsync(new Uri(node, "/metrics"));
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith(QueueGauge, StringComparison.Ordinal))
                    queue += (long)double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return new Sample(at, flushed, flushes, geoAdds, queue, shed);
    }

    /// <summary>GEOADD commands Redis has executed since it started (or since CONFIG RESETSTAT).</summary>
    private static async Task<long> GeoAddCallsAsync(ConnectionMultiplexer redis)
    {
        var server = redis.GetServers()[0];
        var info = await server.InfoAsync("commandstats");
        foreach (var group in info)
        {
            foreach (var pair in group)
            {
                if (pair.Key != "cmdstat_geoadd") continue;
                var calls = pair.Value.Split(',')[0]; // calls=N
                return long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed record Sample(DateTimeOffset At, long Flushed, long Flushes, long GeoAdds, long QueueBytes, long Shed);
}
