using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Dispatch.Core.Zones;
using Dispatch.Server;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Dispatch.Bench.Batch;

/// <summary>
/// <c>dotnet run --project Dispatch.Bench -c Release -- batch [orders] [couriers] [rounds]</c> (infra/bench-batch.sh):
/// one full batch round (<see cref="BatchRound.RunAsync"/>: waiting orders, candidates, costs, the
/// assignment, offers) on a scratch database and Redis prefix seeded with paid orders and online couriers spread over
/// Monaco, timed over many rounds with the state reset before each, next to two floors measured in the same process:
/// the round's own Core work (its <see cref="Dispatch.Core.Matching.CandidateRanker.Rank"/> and <see cref="Dispatch.Core.Matching.BatchMatcher.MatchRanked"/>) and one pipelined GEOSEARCH per
/// order plus one MGET of the couriers found, straight on the multiplexer. Prints progress and a SUMMARY line. Ctrl-C or
/// SIGTERM stops it between rounds, removes the scratch database and keys, and exits with 130.
/// </summary>
public static class BatchTickBenchmark
{
    private const string Zone = "monaco";
    // The JIT recompiles hot paths with their profile (tier 1 after dynamic PGO's instrumented tier) only after enough calls,
    // and much of a round runs once a round, so early rounds measure compilation, not a server that runs all day. Measured
    // (2026-12-07, 500 warm-up rounds): some compiling in 46 of rounds 51-100 (3,218 methods), 21-30 of each 50 up to round
    // 250, then 4-14 (mean round 122 ms in 51-100, 86-97 ms from 250). Each round prints how many methods the JIT compiled.
    // BENCH_WARMUP_ROUNDS changes it.
    private static readonly int WarmUpRounds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_WARMUP_ROUNDS"), out var n) && n >= 0 ? n : 300;

    public static async Task<int> RunAsync(string[] args)
    {
        var orders = Argument(args, 0, 1000);
        var couriers = Argument(args, 1, 5000);
        var rounds = Argument(args, 2, 100);
        var connected = Argument(args, 3, 500);
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var database = $"dispatch_bench_batch_{suffix}";
        var prefix = $"bench-batch-{suffix}";
        string? admin = null;
        // A started server as production runs it (outbox relay, decision log, zone leadership, fix flush, board, courier hub
        // on a loopback port), except the dispatch loop (the bench runs the zone's rounds itself) and the recovery sweep.
        var app = ServerComposition.Build(ServerArgs.Development("--urls", "http://127.0.0.1:0"), b =>
        {
            admin = b.Configuration.GetConnectionString("Postgres")
                ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set. Run infra/start.sh and use the settings it prints.");
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString,
                ["Dispatch:RedisPrefix"] = prefix,
                // A round offers hundreds of orders; their Information lines would measure the console, not dispatch.
                ["Logging:LogLevel:Default"] = "Warning",
                // EF logs its probe of the empty scratch database as an error before migrating; real failures still throw.
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
            });
        }, services =>
        {
            // Nor the recovery sweep: it takes the seeded couriers' accepted orders back (they never sent a fix) mid-bench.
            foreach (var loop in services.Where(d => d.ServiceType == typeof(IHostedService) && (d.ImplementationType == typeof(DispatchLoopService) || d.ImplementationType == typeof(RecoverySweepService))).ToList())
                services.Remove(loop);
        });
        Console.WriteLine($"[bench-batch] scratch database {database}, Redis prefix {prefix}");
        // Ctrl-C or SIGTERM stops the run between rounds and still removes the scratch database and keys (the runtime's own
        // handling would end the process at once and leave them behind).
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await ExecuteAsync(admin!, $"CREATE DATABASE {database} TEMPLATE template1");
        try
        {
            return await MeasureAsync(app, orders, couriers, rounds, connected, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.WriteLine("[bench-batch] stopped before the end (Ctrl-C or SIGTERM): no summary; removing the scratch data");
            return 130;
        }
        finally
        {
            var mux = app.Services.GetRequiredService<IConnectionMultiplexer>();
            foreach (var server in mux.GetServers())
            {
                var keys = new List<RedisKey>();
                await foreach (var key in server.KeysAsync(pattern: $"{prefix}:*")) keys.Add(key);
                if (keys.Count > 0) await mux.GetDatabase().KeyDeleteAsync([.. keys]);
            }
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            // BENCH_KEEP_DB=1 keeps the scratch database for a look at its statements and statistics afterwards (drop it by hand).
            if (Environment.GetEnvironmentVariable("BENCH_KEEP_DB") == "1") Console.WriteLine($"[bench-batch] kept {database} (BENCH_KEEP_DB=1); dropped the keys under {prefix}:");
            else
            {
                await ScratchDatabase.DropAsync(admin!, database, "[bench-batch]");
                Console.WriteLine($"[bench-batch] dropped {database} and the keys under {prefix}:");
            }
        }
    }

    private static async Task<int> MeasureAsync(WebApplication app, int orderCount, int courierCount, int rounds, int connectedCount, CancellationToken stop)
    {
        var services = app.Services;
        var dbs = services.GetRequiredService<IDbContextFactory<DispatchDbContext>>();
        var data = services.GetRequiredService<NpgsqlDataSource>();
        var options = services.GetRequiredService<IOptions<DispatchOptions>>().Value;
        var coordinator = services.GetRequiredService<BatchRound>();
        var leadership = services.GetRequiredService<Dispatch.Server.Zones.ZoneLeadership>();
        var decisionLog = services.GetRequiredService<DecisionLog>();
        await using (var db = await dbs.CreateDbContextAsync(stop))
        {
            await db.Database.MigrateAsync(stop);
        }
        await app.StartAsync(stop);
        var address = new Uri(services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

        var seed = new BatchTickSeed(services, Zone, services.GetRequiredService<ZoneMap>().ByName(Zone)!.Envelope);
        var watch = Stopwatch.StartNew();
        await seed.SeedAsync(orderCount, courierCount, DateTimeOffset.UtcNow);
        Console.WriteLine($"[bench-batch] seeded {courierCount:N0} online couriers (Redis geo set, states, last-seen; couriers rows) and " +
            $"{orderCount:N0} waiting orders (+{seed.HeldOrders} offered orders holding couriers, {seed.OnBoardOrders} accepted orders on couriers' trips, {seed.PastOffers} past offers) in {watch.Elapsed.TotalSeconds:0.0} s");
        // Statistics once, as a long-running database has them; no VACUUM between rounds: autovacuum keeps up or not, as in production.
        await using (var analyze = data.CreateCommand("analyze")) await analyze.ExecuteNonQueryAsync(stop);
        // Real connections for a spread of the couriers (every k-th); the rest are stored only (Redis and PostgreSQL), their
        // pushes published through the backplane to nobody, as for couriers connected to another node.
        await using var couriers = new BatchTickCouriers();
        var step = Math.Max(1, courierCount / Math.Max(1, connectedCount));
        watch.Restart();
        await couriers.ConnectAsync(address, services.GetRequiredService<Dispatch.Server.Auth.TokenIssuer>(),
            [.. seed.CourierIds.Where((_, i) => i % step == 0).Take(connectedCount)], stop);
        Console.WriteLine($"[bench-batch] {couriers.Count} couriers connected to {address} over SignalR (MessagePack) in {watch.Elapsed.TotalSeconds:0.0} s; the other {courierCount - couriers.Count:N0} are stored only");
        var reachable = await couriers.ReachableAsync(services.GetRequiredService<Microsoft.AspNetCore.SignalR.IHubContext<Dispatch.Server.Couriers.CourierHub, Dispatch.Core.Contracts.ICourierClient>>(), TimeSpan.FromSeconds(60), stop);
        Console.WriteLine($"[bench-batch] every connected courier reachable by a push {reachable.TotalSeconds:0.0} s after the last handshake (the backplane's subscriptions trail the handshakes)");
        Console.WriteLine($"[bench-batch] GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, " +
            $"gen-0 budget {(Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is { Length: > 0 } budget ? $"DOTNET_GCgen0size={budget}" : "the runtime's default")}, " +
            $"large-object threshold {(GC.GetConfigurationVariables().TryGetValue("LOHThreshold", out var loh) ? loh : "?")} bytes");
        Console.WriteLine($"[bench-batch] travel times: {(services.GetRequiredService<Dispatch.Server.Routing.TravelTimes>().For(Zone) is null ? "straight line (no road network in the scratch database)" : "road graph")}; " +
            $"radii {string.Join("/", options.SearchRings)} m, {options.CandidateCount} candidates per ring");

        // BENCH_JIT_NAMES=1: name the methods compiled during the measured rounds (the runtime's JIT events).
        using var jitNames = Environment.GetEnvironmentVariable("BENCH_JIT_NAMES") == "1" ? new JitNames() : null;
        var lost = 0;
        // PostgreSQL's CPU per round (all of the cluster's processes): the round's work in a unit a shared machine does not bend.
        var pgCpu = await PostgresCpu.FindAsync(data, stop);
        // BENCH_AB=1: rounds take turns among the four settings of the collection before the round and the split write, so a
        // drifting machine weighs on each alike; each is reported on its own after the summary.
        // BENCH_AB=after: rounds take turns without and with the collection between rounds (Dispatch:CollectBetweenBatchRounds).
        // BENCH_AB=drain: rounds take turns without and with waiting (untimed) for the outbox relay to finish the last round's
        // events first, as it has long before the next round in production (Dispatch:BatchWindowSeconds, 5 s); BENCH_DRAIN=1
        // waits before every round.
        var after = options.CollectBetweenBatchRounds;
        var drain = Environment.GetEnvironmentVariable("BENCH_DRAIN") == "1";
        // BENCH_AB=settle: rounds take turns without and with a pause of BENCH_SETTLE_MS (1,000) after the reset, untimed, so
        // PostgreSQL's and the relay's work behind the last cycle is done, as it is long before a round 5 s after the last.
        // BENCH_AB=together: rounds take turns with the split write's halves committing each on its own and together
        // (Dispatch:BatchCommitTogether).
        var settle = int.TryParse(Environment.GetEnvironmentVariable("BENCH_SETTLE_MS"), out var settleMs) ? settleMs : 1000;
        var together = options.BatchCommitTogether;
        (bool Collect, int SplitFrom, bool After, bool Drain, int Settle, bool Together)[] variants = Environment.GetEnvironmentVariable("BENCH_AB") switch
        {
            "1" => [(false, 0, after, drain, 0, together), (true, 0, after, drain, 0, together), (false, 200, after, drain, 0, together), (true, 200, after, drain, 0, together)],
            "after" => [(options.CollectBeforeBatchRound, options.BatchWriteSplitFrom, false, drain, 0, together), (options.CollectBeforeBatchRound, options.BatchWriteSplitFrom, true, drain, 0, together)],
            "drain" => [(options.CollectBeforeBatchRound, options.BatchWriteSplitFrom, after, false, 0, together), (options.CollectBeforeBatchRound, options.BatchWriteSplitFrom, after, true, 0, together)],
            "settle" => [(options.CollectBeforeBatchRound, options.BatchWriteSplitFrom, after, drain, 0, together), (options.CollectBeforeBatchRound, options.BatchWriteSplitFrom, after, drain, settle, together)],
            "together" => [(options.CollectBeforeBatchRound, options.BatchWriteSplitFrom, after, drain, 0, false), (options.CollectBeforeBatchRound, options.BatchWriteSplitFrom, after, drain, 0, true)],
            _ => [(options.CollectBeforeBatchRound, options.BatchWriteSplitFrom, after, drain, 0, together)],
        };
        var samples = new List<(double Total, BatchRoundTimings Phases, double Stored, double Pushed, long Compiled, double Round, int Unplanned, double Paused, int Variant, double After, double WalKb, double PgCpu, double CyclePgCpu)>();
        for (var round = 1; round <= WarmUpRounds + rounds; round++)
        {
            stop.ThrowIfCancellationRequested();
            if (jitNames is not null) jitNames.Recording = round > WarmUpRounds;
            var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            // The collection between rounds also comes before the next one: "after" takes turns in blocks of 4 rounds, not every other round.
            var variant = Environment.GetEnvironmentVariable("BENCH_AB") == "after" ? round / 4 % variants.Length : round % variants.Length;
            var drained = variants[variant].Drain ? await OutboxDrainedAsync(data, stop) : 0;
            var walBeforeReset = await WalPositionAsync(data, stop);
            var cycleCpuBefore = pgCpu?.Milliseconds() ?? double.NaN;
            await seed.ResetAsync(DateTimeOffset.UtcNow);
            // The round runs only where the zone's lease is held: renewed here too, untimed (the host's leadership service, slowed
            // by a loaded machine, once let it lapse between the seeding and the first round, which then wrote nothing).
            await leadership.RenewAsync(stop);
            if (variants[variant].Settle > 0) await Task.Delay(variants[variant].Settle, stop);
            couriers.StartRound();
            (options.CollectBeforeBatchRound, options.BatchWriteSplitFrom, options.CollectBetweenBatchRounds, _, _, options.BatchCommitTogether) = variants[variant];
            var phases = new BatchRoundTimings();
            // The write-ahead log the round writes (and the reset before it), read untimed around it: the log is what
            // checkpoints, archiving and full-page images scale with. It includes the outbox relay's work in the meantime.
            var walBefore = await WalPositionAsync(data, stop);
            var cpuBefore = pgCpu?.Milliseconds() ?? double.NaN;
            var (allocated, gen0, gen1, gen2, paused) = (GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            var started = Stopwatch.GetTimestamp();
            watch.Restart();
            var offers = await coordinator.RunAsync(Zone, CancellationToken.None, phases);
            var roundOnly = watch.Elapsed.TotalMilliseconds;
            // The round's waiting decisions are stored behind it (DecisionLog): timed apart from the round, as what the drawer waits for.
            await decisionLog.DrainedAsync();
            var total = watch.Elapsed.TotalMilliseconds;
            var stored = total - roundOnly;
            var cpuMs = (pgCpu?.Milliseconds() ?? double.NaN) - cpuBefore;
            var walKb = (await WalPositionAsync(data, stop) - walBefore) / 1e3;
            var resetWalKb = (walBefore - walBeforeReset) / 1e3;
            // Collections the round met besides the one it starts with (DispatchOptions.CollectBeforeBatchRound), and all pauses.
            var unplanned = GC.CollectionCount(0) - gen0 - (phases.CollectMilliseconds > 0 ? 1 : 0);
            var pausedMs = (GC.GetTotalPauseDuration() - paused).TotalMilliseconds;
            var heap = string.Create(CultureInfo.InvariantCulture,
                $"{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:0.0} MB allocated ({string.Join(", ", phases.Allocated.Select(a => $"{a.Phase} {a.Megabytes:0.0}"))}), GCs {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} pausing {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:0.0} ms");
            if (GC.CollectionCount(0) > gen0)
            {
                // The round's last collection: what it kept alive (promoted) is what its pause copied.
                var last = GC.GetGCMemoryInfo(GCKind.Any);
                heap += string.Create(CultureInfo.InvariantCulture,
                    $" (last: gen {last.Generation}, {last.PromotedBytes / 1e6:0.0} MB promoted, {last.PauseDurations[0].TotalMilliseconds:0.0} ms, heap {last.HeapSizeBytes / 1e6:0} MB)");
            }
            // The outbox relay, running on its own as on a server, pushes the offers; the connected couriers' last one ends
            // the round for them.
            var expected = await seed.PendingOffersToAsync(couriers.Ids);
            var lastPush = await couriers.AllReceivedAsync(expected, TimeSpan.FromSeconds(10), stop);
            if (lastPush is null)
            {
                // Counted and reported, not fatal: a lost push is a finding, and the round's other numbers still stand.
                lost += expected - couriers.Received;
                Console.WriteLine($"[bench-batch] round {round}: only {couriers.Received} of {expected} offers to connected couriers arrived within 10 s ({couriers.Disconnected} of {couriers.Count} connections not connected)");
            }
            var pushed = lastPush is { } at ? Stopwatch.GetElapsedTime(started, at).TotalMilliseconds : double.NaN;
            // Between rounds, as the dispatch loop does on its last tick before a zone's next round (Dispatch:CollectBetweenBatchRounds):
            // untimed, reported; after the pushes, which on a server were sent seconds before.
            var collected = coordinator.CollectBetweenRounds(Zone);
            // The whole cycle's: the reset, the round, and the outbox relay's pushes of its offers.
            var cycleCpuMs = (pgCpu?.Milliseconds() ?? double.NaN) - cycleCpuBefore;
            if (phases.Waiting != orderCount || offers == 0)
                throw new InvalidOperationException($"round {round}: {phases.Waiting} waiting, {offers} offers; expected {orderCount} waiting and some offers");
            if (round == 1) await CheckStoredAsync(data, seed.OrderIds, offers);
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;
            var label = round <= WarmUpRounds ? $"warm-up {round}/{WarmUpRounds}" : $"round {round - WarmUpRounds}/{rounds}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[bench-batch] {label}: {total,8:0.0} ms (collect {phases.CollectMilliseconds:0.0}, load {phases.LoadMilliseconds:0.0} beside zone {phases.ZoneMilliseconds:0.0} = redis {phases.ZoneRedisMilliseconds:0.0} + trips, zone wait {phases.ZoneWaitMilliseconds:0.0}, " +
                $"candidates {phases.CandidatesMilliseconds:0.0} incl. rank {phases.RankMilliseconds:0.0} ({phases.GeoSearches} searches), " +
                $"match {phases.MatchMilliseconds:0.0}, offers {phases.OffersMilliseconds:0.0} incl. write {phases.WriteMilliseconds:0.0} = statement {phases.WriteStatementMilliseconds:0.0} + explanations wait {phases.WriteExplanationsWaitMilliseconds:0.0} (serialised in {phases.ExplanationsSerialiseMilliseconds:0.0} beside) + copy and commit, round alone {roundOnly:0.0}, explanations stored {stored:0.0}; then collected {collected:0.0}); {offers} offers; {heap}; {expected} offers to connected couriers, the last received {pushed:0.0} ms after the round's start; JIT compiled {compiled} methods; wal {walKb:0} kB (reset before it {resetWalKb:0} kB); PostgreSQL CPU {cpuMs:0} ms (the cycle with reset and pushes {cycleCpuMs:0} ms); outbox drained before it {drained:0.0} ms"));
            if (round > WarmUpRounds) samples.Add((total, phases, stored, pushed, compiled, roundOnly, unplanned, pausedMs, variant, collected, walKb, cpuMs, cycleCpuMs));
        }

        if (jitNames is not null)
        {
            jitNames.Recording = false;
            Console.WriteLine($"[bench-batch] methods compiled during the measured rounds ({jitNames.Total}), most first:");
            foreach (var line in jitNames.Top(40)) Console.WriteLine($"[bench-batch]   {line}");
        }
        // Floor: every order's first ring as one pipelined batch of GEOSEARCHes and one MGET of the distinct couriers found.
        var floors = new List<double>();
        for (var i = 0; i < WarmUpRounds + rounds; i++)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                var ms = await seed.RedisFloorAsync(options.SearchRings[0], options.CandidateCount);
                if (i >= WarmUpRounds) floors.Add(ms);
            }
            catch (RedisTimeoutException ex)
            {
                // A loaded machine: the rounds' numbers above still stand; the floor is reported as missing, not the summary lost.
                Console.WriteLine($"[bench-batch] raw Redis floor stopped: {ex.Message[..Math.Min(120, ex.Message.Length)]}");
                break;
            }
        }

        // Whether the rounds' (and resets') status moves stayed HOT (no index entries written): statistics, flushed by then.
        await using (var stats = data.CreateCommand("select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where relname = 'orders'"))
        await using (var reader = await stats.ExecuteReaderAsync(stop))
        {
            await reader.ReadAsync(stop);
            var (updates, hot) = (reader.GetInt64(0), reader.GetInt64(1));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[bench-batch] orders rows updated: {updates:N0}, of which HOT (no index entry written): {(updates == 0 ? 0 : 100.0 * hot / updates):0.0} %"));
        }
        var totals = samples.Select(s => s.Total).ToList();
        var (p50, p99, max) = (Percentile(totals, 0.50), Percentile(totals, 0.99), totals.Max());
        var load = Percentile([.. samples.Select(s => s.Phases.LoadMilliseconds)], 0.5);
        var candidates = Percentile([.. samples.Select(s => s.Phases.CandidatesMilliseconds)], 0.5);
        var match = Percentile([.. samples.Select(s => s.Phases.MatchMilliseconds)], 0.5);
        var zoneRead = Percentile([.. samples.Select(s => s.Phases.ZoneMilliseconds)], 0.5);
        var zoneWait = Percentile([.. samples.Select(s => s.Phases.ZoneWaitMilliseconds)], 0.5);
        // The round's Core work: ranking every order's candidates and the assignment.
        var core = Percentile([.. samples.Select(s => s.Phases.RankMilliseconds + s.Phases.MatchMilliseconds)], 0.5);
        var offersMs = Percentile([.. samples.Select(s => s.Phases.OffersMilliseconds)], 0.5);
        var write = Percentile([.. samples.Select(s => s.Phases.WriteMilliseconds)], 0.5);
        var floor = floors.Count == 0 ? double.NaN : Percentile(floors, 0.5);
        var offersMade = samples[^1].Phases.Offers;
        var (pushed50, pushed99) = (Percentile([.. samples.Select(s => s.Pushed).Where(double.IsFinite).DefaultIfEmpty(double.NaN)], 0.5),
            Percentile([.. samples.Select(s => s.Pushed).Where(double.IsFinite).DefaultIfEmpty(double.NaN)], 0.99));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[bench-batch] round with its explanations stored, over {rounds} rounds: p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {max:0.0} ms; the round alone p50 {Percentile([.. samples.Select(s => s.Round)], 0.5):0.0} ms, p99 {Percentile([.. samples.Select(s => s.Round)], 0.99):0.0} ms ({orderCount} waiting orders, {courierCount} couriers, {couriers.Count} connected, {offersMade} offers per round; " +
            $"after {WarmUpRounds} warm-up rounds; the JIT compiled something in {samples.Count(s => s.Compiled > 0)} of the measured rounds)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[bench-batch] medians per phase: collect {Percentile([.. samples.Select(s => s.Phases.CollectMilliseconds)], 0.5):0.0} ms (p99 {Percentile([.. samples.Select(s => s.Phases.CollectMilliseconds)], 0.99):0.0}), load {load:0.0} ms (zone read beside it {zoneRead:0.0} ms, its Redis part {Percentile([.. samples.Select(s => s.Phases.ZoneRedisMilliseconds)], 0.5):0.0}, then waited for {zoneWait:0.0} ms), candidates {candidates:0.0} ms " +
            $"(rank {Percentile([.. samples.Select(s => s.Phases.RankMilliseconds)], 0.5):0.0}), match {match:0.0} ms, offers {offersMs:0.0} ms " +
            $"(write {Percentile([.. samples.Select(s => s.Phases.WriteMilliseconds)], 0.5):0.0}: statement {Percentile([.. samples.Select(s => s.Phases.WriteStatementMilliseconds)], 0.5):0.0}, " +
            $"explanations wait {Percentile([.. samples.Select(s => s.Phases.WriteExplanationsWaitMilliseconds)], 0.5):0.0}, explanations serialised beside it {Percentile([.. samples.Select(s => s.Phases.ExplanationsSerialiseMilliseconds)], 0.5):0.0}); " +
            $"explanations stored {Percentile([.. samples.Select(s => s.Stored)], 0.5):0.0} ms (p99 {Percentile([.. samples.Select(s => s.Stored)], 0.99):0.0}) after the round's write; " +
            $"the connected couriers' last offer received {pushed50:0.0} ms (p99 {pushed99:0.0}) after the round's start; offers to connected couriers never received: {lost}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[bench-batch] collections: {samples.Count(s => s.Unplanned > 0)} of {samples.Count} rounds met one besides the one they start with; GC pauses in a round p50 {Percentile([.. samples.Select(s => s.Paused)], 0.5):0.0} ms, p99 {Percentile([.. samples.Select(s => s.Paused)], 0.99):0.0} ms; " +
            $"allocated p50 {Percentile([.. samples.Select(s => s.Phases.Allocated.Sum(a => a.Megabytes))], 0.5):0.0} MB a round; " +
            $"the collection between rounds (untimed, Dispatch:CollectBetweenBatchRounds) p50 {Percentile([.. samples.Select(s => s.After)], 0.5):0.0} ms, p99 {Percentile([.. samples.Select(s => s.After)], 0.99):0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[bench-batch] baseline, Core only (CandidateRanker.Rank + BatchMatcher.MatchRanked on the round's inputs): {core:0.0} ms; round p50 ÷ Core = {p50 / core:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[bench-batch] baseline, raw Redis ({orderCount} pipelined GEOSEARCH + 1 MGET): {floor:0.0} ms; candidates phase ÷ raw = {candidates / floor:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[bench-batch] round p50 ÷ (Core + raw Redis) = {p50 / (core + floor):0.00}; goal p99 <= 100 ms: {(p99 <= 100 ? "met" : "not met")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SUMMARY orders={orderCount} couriers={courierCount} connected={couriers.Count} rounds={rounds} warm_up={WarmUpRounds} offers={offersMade} p50_ms={p50:0.0} p99_ms={p99:0.0} max_ms={max:0.0} " +
            $"round_alone_p50_ms={Percentile([.. samples.Select(s => s.Round)], 0.5):0.0} round_alone_p99_ms={Percentile([.. samples.Select(s => s.Round)], 0.99):0.0} stored_p50_ms={Percentile([.. samples.Select(s => s.Stored)], 0.5):0.0} load_ms={load:0.0} zone_ms={zoneRead:0.0} zone_wait_ms={zoneWait:0.0} candidates_ms={candidates:0.0} match_ms={match:0.0} offers_ms={offersMs:0.0} write_ms={write:0.0} pushed_p50_ms={pushed50:0.0} pushed_p99_ms={pushed99:0.0} pushes_lost={lost} core_ms={core:0.0} redis_floor_ms={floor:0.0} wal_kb={Percentile([.. samples.Select(s => s.WalKb)], 0.5):0} pg_cpu_ms={Percentile([.. samples.Select(s => s.PgCpu)], 0.5):0} pg_cpu_p90_ms={Percentile([.. samples.Select(s => s.PgCpu)], 0.9):0} pg_cycle_cpu_ms={Percentile([.. samples.Select(s => s.CyclePgCpu)], 0.5):0} " +
            $"ratio_to_core={p50 / core:0.00} p99_ratio_to_core={p99 / core:0.00} write_ratio_to_core={write / core:0.00} candidates_ratio_to_redis={candidates / floor:0.00} ratio_to_floor={p50 / (core + floor):0.00} goal_met={(p99 <= 100 ? "yes" : "no")}"));
        for (var v = 0; v < variants.Length && variants.Length > 1; v++)
        {
            var of = samples.Where(s => s.Variant == v).ToList();
            var vCore = Percentile([.. of.Select(s => s.Phases.RankMilliseconds + s.Phases.MatchMilliseconds)], 0.5);
            var (v50, v99) = (Percentile([.. of.Select(s => s.Total)], 0.5), Percentile([.. of.Select(s => s.Total)], 0.99));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"VARIANT collect={variants[v].Collect} split_from={variants[v].SplitFrom} collect_between={variants[v].After} drain={variants[v].Drain} settle_ms={variants[v].Settle} commit_together={variants[v].Together} rounds={of.Count} p50_ms={v50:0.0} p99_ms={v99:0.0} mean_ms={of.Average(s => s.Total):0.0} core_ms={vCore:0.0} " +
                $"ratio_to_core={v50 / vCore:0.00} p99_ratio_to_core={v99 / vCore:0.00} collect_ms={Percentile([.. of.Select(s => s.Phases.CollectMilliseconds)], 0.5):0.0} " +
                $"load_ms={Percentile([.. of.Select(s => s.Phases.LoadMilliseconds)], 0.5):0.0} candidates_ms={Percentile([.. of.Select(s => s.Phases.CandidatesMilliseconds)], 0.5):0.0} " +
                $"write_ms={Percentile([.. of.Select(s => s.Phases.WriteMilliseconds)], 0.5):0.0} statement_ms={Percentile([.. of.Select(s => s.Phases.WriteStatementMilliseconds)], 0.5):0.0} " +
                $"write_ratio_to_core={Percentile([.. of.Select(s => s.Phases.WriteMilliseconds)], 0.5) / vCore:0.00} gc_rounds={of.Count(s => s.Unplanned > 0)} gc_pause_p50_ms={Percentile([.. of.Select(s => s.Paused)], 0.5):0.0} gc_pause_p99_ms={Percentile([.. of.Select(s => s.Paused)], 0.99):0.0} " +
                $"after_ms={Percentile([.. of.Select(s => s.After)], 0.5):0.0} pushed_p50_ms={Percentile([.. of.Select(s => s.Pushed).Where(double.IsFinite).DefaultIfEmpty(double.NaN)], 0.5):0.0} " +
                $"match_ms={Percentile([.. of.Select(s => s.Phases.MatchMilliseconds)], 0.5):0.0} offers_ms={Percentile([.. of.Select(s => s.Phases.OffersMilliseconds)], 0.5):0.0} p90_ms={Percentile([.. of.Select(s => s.Total)], 0.9):0.0} wal_kb={Percentile([.. of.Select(s => s.WalKb)], 0.5):0} pg_cpu_ms={Percentile([.. of.Select(s => s.PgCpu)], 0.5):0} pg_cycle_cpu_ms={Percentile([.. of.Select(s => s.CyclePgCpu)], 0.5):0} max_ms={of.Max(s => s.Total):0.0}"));
        }
        return 0;
    }

    /// <summary>The first round must have stored what it pushed: one pending offer, one decision and status Offered per offer made.</summary>
    private static async Task CheckStoredAsync(NpgsqlDataSource data, Guid[] orderIds, int offers)
    {
        await using var command = data.CreateCommand(
            "select (select count(*) from offers where status = 0 and order_id = any($1)), (select count(*) from dispatch_decisions where order_id = any($1)), " +
            "(select count(*) from orders where status = 3 and id = any($1))");
        command.Parameters.Add(new NpgsqlParameter { Value = orderIds });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (stored, decisions, offered) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        if (stored != offers || decisions != offers || offered != offers)
            throw new InvalidOperationException($"round 1 made {offers} offers but stored {stored} offers, {decisions} decisions, {offered} orders Offered");
    }

    /// <summary>Waits until the outbox relay has handled every event (at most 10 s); returns how long that took (ms).</summary>
    private static async Task<double> OutboxDrainedAsync(NpgsqlDataSource data, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var command = data.CreateCommand("select exists (select 1 from outbox where processed_at is null)");
        while ((bool)(await command.ExecuteScalarAsync(ct))! && watch.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(5, ct);
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>The write-ahead log's insert position, in bytes.</summary>
    private static async Task<long> WalPositionAsync(NpgsqlDataSource data, CancellationToken ct)
    {
        await using var command = data.CreateCommand("select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Nearest rank: with 30 samples p99 is the largest.</summary>
    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static int Argument(string[] args, int index, int fallback) =>
        args.Length > index && int.TryParse(args[index], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
