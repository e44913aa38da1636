using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dispatch.Server;
using Dispatch.Server.Outbox;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using StackExchange.Redis;

namespace Dispatch.Bench;

/// <summary>
/// <c>dotnet run --project Dispatch.Bench -c Release -- outbox [options]</c> (infra/bench-outbox.sh): the server in this
/// process on a scratch database and Redis prefix, a merchant endpoint registered through the webhook API pointing at a
/// <see cref="WebhookReceiver"/> in this process, and in one run: (i) the baseline, the bare INSERT of the same outbox rows
/// into a copy of the table, in transactions of the same size; (ii) throughput, the same events committed to the outbox
/// and carried by the relay, the webhook consumer and sender to the receiver; (iii) latency, events committed at a steady
/// rate, one per transaction, commit to arrival at the receiver. Prints progress and SUMMARY lines.
/// </summary>
public static class OutboxBenchmark
{
    private const string Tag = "[bench-outbox]";

    public static async Task<int> RunAsync(string[] args)
    {
        var o = OutboxBenchOptions.Parse(args);
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var database = $"dispatch_bench_outbox_{suffix}";
        var prefix = $"bench-outbox-{suffix}";
        var admin = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings__Postgres is not set: run infra/bench-outbox.sh, or source .data/services.env first.");
        await ExecuteAsync(admin, $"CREATE DATABASE {database} TEMPLATE template1");
        Console.WriteLine($"{Tag} scratch database {database}, Redis prefix {prefix}; {o}");
        await using var receiver = await WebhookReceiver.StartAsync();
        WebApplication? app = null;
        try
        {
            app = await StartServerAsync(admin, database, prefix, o);
            var baseUrl = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
            await RegisterEndpointAsync(baseUrl, receiver.Url);
            // The producers' own pool: load that waits for connections must not starve the server's relay and sender of theirs.
            await using var db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 64 }.ConnectionString);
            using var meter = new RelayMeter();
            var metrics = app.Services.GetRequiredService<DispatchMetrics>();
            await PrepareBaselineAsync(db);
            var cpu = await CpuMeter.StartAsync(db);

            // Warm-up: JIT, connection pools, the HTTP connections to the receiver; given a minute plus a second per 1,000 events.
            var warm = await OutboxLoad.WriteAsync(db, "outbox", o.WarmUp, o.PerTransaction, o.Writers);
            await ArrivedAsync(receiver, warm, TimeSpan.FromSeconds(60 + o.WarmUp / 1_000), "warm-up");
            Console.WriteLine($"{Tag} warm-up: {warm.Count} events through to the receiver");

            var cpuBefore = cpu.Read();
            var baseline = await BaselineAsync(db, o);
            var cpuBaseline = PerEvent(cpuBefore, cpu.Read(), o.Events);
            cpuBefore = cpu.Read();
            var sessionsBefore = CpuMeter.SessionTicks(db);
            // The JIT's time in the measured window: what is left of the warm-up's compiling (tier-1 and its PGO), counted in the process's CPU.
            var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            // BENCH_JIT_NAMES=1: name the methods compiled in the measured window (the runtime's JIT events).
            using var jitNames = Environment.GetEnvironmentVariable("BENCH_JIT_NAMES") == "1" ? new Batch.JitNames { Recording = true } : null;
            var throughput = await ThroughputAsync(db, metrics, meter, receiver, o);
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;
            if (jitNames is not null)
            {
                jitNames.Recording = false;
                Console.WriteLine($"{Tag} methods compiled during the throughput phase ({jitNames.Total}), most first:");
                foreach (var line in jitNames.Top(40)) Console.WriteLine($"{Tag}   {line}");
            }
            var cpuThroughput = PerEvent(cpuBefore, cpu.Read(), o.Events);
            var sessionsPerEvent = CpuMeter.SessionSeconds(sessionsBefore, CpuMeter.SessionTicks(db)) * 1e6 / o.Events;
            var jitPerEvent = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMicroseconds / o.Events;
            var latency = await LatencyAsync(db, metrics, meter, receiver, o);

            Console.WriteLine();
            Console.WriteLine($"SUMMARY baseline  bare INSERT of {o.Events} outbox rows, {o.PerTransaction}/transaction, {o.Writers} writers: {baseline:F0} events/s");
            Console.WriteLine($"SUMMARY relay     committed and marked processed by the relay: {throughput.Relayed:F0} events/s ({throughput.Relayed / baseline:P0} of the baseline)");
            Console.WriteLine($"SUMMARY webhooks  committed and received by the endpoint: {throughput.Received:F0} events/s ({throughput.Received / baseline:P0} of the baseline); bar 5000/s: {(throughput.Received >= 5_000 ? "met" : "NOT met")}");
            Console.WriteLine($"SUMMARY latency   {latency.Rate:F0} events/s for {o.Seconds} s, one per transaction, commit to receiver: p50 {latency.P50:F0} ms, p95 {latency.P95:F0} ms, p99 {latency.P99:F0} ms, max {latency.Max:F0} ms ({latency.Missing} not arrived); bar p99 <= 250 ms: {(latency.P99 <= 250 && latency.Missing == 0 ? "met" : "NOT met")}");
            Console.WriteLine($"SUMMARY receiver  {receiver.Posts} POSTs for {receiver.Count} distinct events");
            Console.WriteLine($"SUMMARY cpu       per event, this process / PostgreSQL: baseline {cpuBaseline.Process:F0} / {cpuBaseline.Postgres:F0} µs; throughput (commit to receiver) {cpuThroughput.Process:F0} / {cpuThroughput.Postgres:F0} µs, of which JIT {jitPerEvent:F0} µs in the process ({compiled} methods compiled) and {sessionsPerEvent:F0} µs in this database's PostgreSQL sessions");
            return 0;
        }
        finally
        {
            if (app is not null)
            {
                await CleanRedisAsync(app, prefix);
                await app.StopAsync();
                await app.DisposeAsync();
            }
            await ScratchDatabase.DropAsync(admin, database, Tag);
            Console.WriteLine($"{Tag} scratch database dropped");
        }
    }

    private static async Task<WebApplication> StartServerAsync(string admin, string database, string prefix, OutboxBenchOptions o)
    {
        string Key() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 100 }.ConnectionString,
            ["Dispatch:RedisPrefix"] = prefix,
            ["Auth:SigningKey"] = Key(),
            ["Auth:LinkSigningKey"] = Key(),
            ["Payments:CallbackSecret"] = Key(),
            ["Database:Migrate"] = "true",
            ["Outbox:BatchSize"] = o.RelayBatch.ToString(CultureInfo.InvariantCulture),
            ["Outbox:Workers"] = o.RelayWorkers.ToString(CultureInfo.InvariantCulture),
            ["Webhooks:Parallelism"] = o.WebhookParallelism.ToString(CultureInfo.InvariantCulture),
            ["Webhooks:BatchSize"] = o.WebhookBatch.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        string[] args = ["--environment", "Development", "--urls", "http://127.0.0.1:0"];
        if (ServerFolder() is { } folder) args = [.. args, "--contentRoot", folder];
        var app = ServerComposition.Build(args, b => b.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        return app;
    }

    private static async Task RegisterEndpointAsync(Uri server, Uri receiver)
    {
        using var http = new HttpClient { BaseAddress = server };
        var tokenResponse = await http.PostAsJsonAsync("/dev/token", new { role = "admin", subject = "bench" });
        tokenResponse.EnsureSuccessStatusCode();
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks")
        {
            Content = JsonContent.Create(new { url = receiver.ToString(), events = new[] { OutboxKinds.OrderStatus }, merchantId = OutboxLoad.Merchant }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"registering the endpoint: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Console.WriteLine($"{Tag} endpoint {receiver} registered for merchant {OutboxLoad.Merchant} through POST /api/webhooks");
    }

    /// <summary>A copy of the outbox table (columns, indexes, the NOTIFY trigger) that no relay reads.</summary>
    private static async Task PrepareBaselineAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            create table outbox_baseline (like outbox including all);
            create trigger outbox_baseline_notify after insert on outbox_baseline for each statement execute function outbox_notify();
            """);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<double> BaselineAsync(NpgsqlDataSource db, OutboxBenchOptions o)
    {
        Console.WriteLine($"{Tag} (i) baseline: bare INSERT of {o.Events} rows into a copy of the outbox table");
        var clock = Stopwatch.StartNew();
        var ids = await OutboxLoad.WriteAsync(db, "outbox_baseline", o.Events, o.PerTransaction, o.Writers);
        var rate = ids.Count / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{Tag}     {ids.Count} rows in {clock.Elapsed.TotalSeconds:F2} s: {rate:F0} events/s");
        return rate;
    }

    private static async Task<(double Relayed, double Received)> ThroughputAsync(NpgsqlDataSource db, DispatchMetrics metrics, RelayMeter meter, WebhookReceiver receiver, OutboxBenchOptions o)
    {
        Console.WriteLine($"{Tag} (ii) throughput: {o.Events} order.status events committed, relayed, queued as webhooks and POSTed to the receiver");
        var relayedBefore = metrics.Snapshot().OutboxRelayed;
        var start = Stopwatch.GetTimestamp();
        var committed = 0;
        using var progress = Progress(() =>
            $"committed {Volatile.Read(ref committed)}, relayed {metrics.Snapshot().OutboxRelayed - relayedBefore}, received {receiver.Count}; relay: {meter.Line(metrics)}");
        var writing = OutboxLoad.WriteAsync(db, "outbox", o.Events, o.PerTransaction, o.Writers, n => Interlocked.Add(ref committed, n));
        var ids = await writing;
        var written = Stopwatch.GetElapsedTime(start);
        long relayedAt = 0;
        while (metrics.Snapshot().OutboxRelayed - relayedBefore < ids.Count) await Task.Delay(5);
        relayedAt = Stopwatch.GetTimestamp();
        await ArrivedAsync(receiver, ids, TimeSpan.FromMinutes(5), "throughput");
        var last = ids.Max(id => receiver.TryArrival(id, out var t) ? t : 0);
        var relayed = ids.Count / Stopwatch.GetElapsedTime(start, relayedAt).TotalSeconds;
        var received = ids.Count / Stopwatch.GetElapsedTime(start, last).TotalSeconds;
        Console.WriteLine($"{Tag}     written in {written.TotalSeconds:F2} s ({ids.Count / written.TotalSeconds:F0}/s); relayed {relayed:F0}/s; received {received:F0}/s; relay: {meter.Line(metrics)}");
        return (relayed, received);
    }

    private static async Task<(double Rate, double P50, double P95, double P99, double Max, int Missing)> LatencyAsync(NpgsqlDataSource db, DispatchMetrics metrics, RelayMeter meter, WebhookReceiver receiver, OutboxBenchOptions o)
    {
        Console.WriteLine($"{Tag} (iii) latency: {o.Rate} events/s for {o.Seconds} s, each its own transaction, commit to arrival at the receiver");
        var commits = new System.Collections.Concurrent.ConcurrentDictionary<Guid, long>();
        var inFlight = new List<Task>();
        var sent = 0;
        var start = Stopwatch.GetTimestamp();
        var relayedBefore = metrics.Snapshot().OutboxRelayed;
        using var progress = Progress(() => $"committed {commits.Count}, relayed {metrics.Snapshot().OutboxRelayed - relayedBefore}, received {receiver.Count}; relay: {meter.Line(metrics)}");
        using var slots = new SemaphoreSlim(32); // producers at once: more only queue for connections
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        var number = 1_000_000L;
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < o.Seconds && await timer.WaitForNextTickAsync())
        {
            // As many as are due by now: a late tick sends more, so the rate holds on a busy machine.
            var due = (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * o.Rate);
            for (; sent < due; sent++)
            {
                var record = OutboxLoad.Moved(Guid.NewGuid(), number++, 0, DateTimeOffset.UtcNow);
                inFlight.Add(Task.Run(async () =>
                {
                    await slots.WaitAsync();
                    try
                    {
                        commits[record.EventId] = await OutboxLoad.InsertAsync(db, "outbox", [record]);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }));
            }
        }
        await Task.WhenAll(inFlight);
        var duration = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var ids = commits.Keys.ToList();
        try
        {
            await ArrivedAsync(receiver, ids, TimeSpan.FromSeconds(30), "latency");
        }
        catch (TimeoutException ex)
        {
            Console.WriteLine($"{Tag}     {ex.Message}");
        }
        var latencies = ids.Where(id => receiver.TryArrival(id, out _))
            .Select(id => { receiver.TryArrival(id, out var t); return Stopwatch.GetElapsedTime(commits[id], t).TotalMilliseconds; })
            .Order().ToArray();
        double P(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        var rate = ids.Count / duration;
        Console.WriteLine($"{Tag}     {ids.Count} committed ({rate:F0}/s): p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {P(1):F1} ms");
        return (rate, P(0.50), P(0.95), P(0.99), P(1), ids.Count - latencies.Length);
    }

    /// <summary>CPU microseconds per event between two readings.</summary>
    private static (double Process, double Postgres) PerEvent((double Process, double Postgres) before, (double Process, double Postgres) after, int events) =>
        ((after.Process - before.Process) * 1e6 / events, (after.Postgres - before.Postgres) * 1e6 / events);

    private static async Task ArrivedAsync(WebhookReceiver receiver, List<Guid> ids, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var missing = ids.ToList();
        while (true)
        {
            missing.RemoveAll(id => receiver.TryArrival(id, out _));
            if (missing.Count == 0) return;
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"{what}: {missing.Count} of {ids.Count} events not received within {timeout.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    /// <summary>A progress line every second until disposed.</summary>
    private static Timer Progress(Func<string> line)
    {
        var start = Stopwatch.GetTimestamp();
        return new Timer(_ => Console.WriteLine($"{Tag}     {Stopwatch.GetElapsedTime(start).TotalSeconds,5:F1} s: {line()}"), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private static async Task CleanRedisAsync(WebApplication app, string prefix)
    {
        var mux = app.Services.GetRequiredService<IConnectionMultiplexer>();
        foreach (var server in mux.GetServers())
        {
            var keys = new List<RedisKey>();
            await foreach (var key in server.KeysAsync(pattern: $"{prefix}:*")) keys.Add(key);
            if (keys.Count > 0) await mux.GetDatabase().KeyDeleteAsync([.. keys]);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Dispatch.Server's folder (its appsettings.json: zones, defaults), found by walking up to Dispatch.sln.</summary>
    private static string? ServerFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dispatch.sln"))) return Path.Combine(dir.FullName, "Dispatch.Server");
        }
        return null;
    }
}
