using System.Globalization;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Courier.Api;
using Dispatch.Courier.Client;
using Dispatch.Courier.Simulation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Courier.Cli;

/// <summary>
/// <c>bench</c>: load generator for the location hot path. N couriers each send SendFixes batches back to back,
/// awaiting every answer, for S seconds; prints progress and one <c>BENCH ...</c> summary line.
/// </summary>
internal static class BenchCommand
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    public static async Task<int> ExecuteAsync(CliArgs args, Uri server, CancellationToken cancellationToken)
    {
        var count = args.GetInt("couriers", 100, 1, 100_000);
        var seconds = args.GetInt("seconds", 30, 1, 24 * 3600);
        var perBatch = args.GetInt("fixes-per-batch", 10, 1, HubPaths.MaxFixesPerBatch);
        var connectRate = args.GetDouble("connections-per-second", 0.1, 100_000) ?? 200;
        var seed = args.GetIntOrNull("seed", int.MinValue, int.MaxValue);
        var prefix = args.GetString("prefix") ?? "bench";
        args.EnsureAllRead();

        var time = TimeProvider.System;
        using var api = new DispatchApiClient(server);
        var zone = await SimulateCommand.FirstZoneAsync(api, cancellationToken);
        var fleet = await api.CreateDevFleetAsync(count, prefix, cancellationToken);
        var random = seed is { } s ? new Random(s) : new Random();
        var area = new ZoneArea(zone.Bounds);
        // Fix clocks start 30 s back so the first fixes keep the full 100 ms spacing.
        var clockStart = time.GetUtcNow().AddSeconds(-30);
        var couriers = fleet.Select(f =>
        {
            var profile = FleetMix.Pick(random);
            var track = new BenchTrack(area, new Random(random.Next()), VehicleSpeeds.TypicalMetresPerSecond(profile.Vehicle), clockStart);
            return new BenchCourier(f, profile, track, new CourierConnection(server, f.Token));
        }).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: {couriers.Count} couriers in zone '{zone.Name}', {perBatch} fixes per batch, {seconds} s; connecting at {connectRate:0.#}/s …"));
        try
        {
            var online = await ConnectAllAsync(couriers, connectRate, time, cancellationToken);
            if (cancellationToken.IsCancellationRequested) return CliApp.Failed;
            var stats = await MeasureAsync(online, perBatch, TimeSpan.FromSeconds(seconds), time, cancellationToken);
            return stats.Accepted > 0 ? CliApp.Ok : CliApp.Failed;
        }
        finally
        {
            await Task.WhenAll(couriers.Select(DisconnectAsync));
        }
    }

    private static async Task<List<BenchCourier>> ConnectAllAsync(
        List<BenchCourier> couriers, double perSecond, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        // The first one in the open, so a refused token or a wrong URL ends the run with a clear error.
        await couriers[0].ConnectAsync(cancellationToken);
        var connected = 1;
        var failed = 0;
        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = PrintEveryAsync(() => $"  connected {Volatile.Read(ref connected)}/{couriers.Count}, failed {Volatile.Read(ref failed)}", time, connecting.Token);
        var attempts = await Stagger.StartAsync(couriers.Skip(1).ToList(), perSecond, async c =>
        {
            try
            {
                await c.ConnectAsync(cancellationToken);
                Interlocked.Increment(ref connected);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (Interlocked.Increment(ref failed) <= 5) Console.WriteLine($"  ! {c.Identity.Name} could not connect: {ex.Message}");
            }
        }, time, cancellationToken);
        try
        {
            await Task.WhenAll(attempts);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await connecting.CancelAsync();
        await progress;
        var online = couriers.Where(c => c.Connection.IsOnline && c.Connection.State == HubConnectionState.Connected).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"connected {online.Count}/{couriers.Count} in {time.GetElapsedTime(started).TotalSeconds:0.0} s ({failed} failed)"));
        return online;
    }

    private static async Task<BenchStats> MeasureAsync(
        List<BenchCourier> couriers, int perBatch, TimeSpan duration, TimeProvider time, CancellationToken cancellationToken)
    {
        var stats = new BenchStats();
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(duration);
        var started = time.GetTimestamp();
        var lastAccepted = 0L;
        var lastAt = started;
        var progress = PrintEveryAsync(() =>
        {
            var now = time.GetTimestamp();
            var accepted = stats.Accepted;
            var rate = (accepted - lastAccepted) / Math.Max(1e-3, time.GetElapsedTime(lastAt, now).TotalSeconds);
            (lastAccepted, lastAt) = (accepted, now);
            return string.Create(CultureInfo.InvariantCulture,
                $"  [{time.GetElapsedTime(started).TotalSeconds,5:0}s] sent {stats.Sent} accepted {accepted} rejected {stats.Rejected} errors {stats.Errors}"
                + $" | {rate:0} fixes/s | p50 {stats.Latency.PercentileMilliseconds(0.5):0.00} ms p99 {stats.Latency.PercentileMilliseconds(0.99):0.00} ms");
        }, time, window.Token);
        var workers = couriers.Select(c => Task.Run(() => SendLoopAsync(c, perBatch, stats, time, window.Token), CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        var elapsed = time.GetElapsedTime(started).TotalSeconds;
        await progress;

        var perSecond = stats.Accepted / Math.Max(1e-3, elapsed);
        var p50 = stats.Latency.PercentileMilliseconds(0.50);
        var p99 = stats.Latency.PercentileMilliseconds(0.99);
        var byCode = stats.RejectionsByCode();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench done after {elapsed:0.0} s with {couriers.Count} couriers, {perBatch} fixes per batch, {stats.Batches} batches:"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sent {stats.Sent}, accepted {stats.Accepted}, rejected {stats.Rejected}{(byCode.Length > 0 ? $" ({byCode})" : "")}, failed calls {stats.Errors}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {perSecond:0} accepted fixes/s; SendFixes round trip p50 {p50:0.00} ms, p99 {p99:0.00} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"BENCH fixes_per_second={perSecond:0} accepted={stats.Accepted} rejected={stats.Rejected} couriers={couriers.Count} seconds={elapsed:0.0} p50_ms={p50:0.00} p99_ms={p99:0.00}"));
        return stats;
    }

    /// <summary>One courier: a batch, wait for the verdict, the next batch, until the window closes.</summary>
    private static async Task SendLoopAsync(BenchCourier courier, int perBatch, BenchStats stats, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var batch = courier.Track.NextBatch(perBatch, time.GetUtcNow());
                var sentAt = time.GetTimestamp();
                try
                {
                    var result = await courier.Connection.SendFixesAsync(batch, cancellationToken);
                    stats.Record(batch.Length, result, time.GetElapsedTime(sentAt));
                }
                catch (HubException ex)
                {
                    stats.Error(ex.Message);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Not connected (reconnecting) or the call died with the connection: back off briefly.
                    stats.Error(ex.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A batch in flight when the window closed is not counted.
        }
    }

    private static async Task PrintEveryAsync(Func<string> line, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ProgressInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) Console.WriteLine(line());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task DisconnectAsync(BenchCourier courier)
    {
        if (courier.Connection.State == HubConnectionState.Connected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await courier.Connection.GoOfflineAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is HubException or InvalidOperationException or OperationCanceledException or IOException)
            {
                // Best effort while shutting down.
            }
        }
        await courier.Connection.DisposeAsync();
    }

    private sealed record BenchCourier(FleetCourier Identity, CourierProfile Profile, BenchTrack Track, CourierConnection Connection)
    {
        public async Task ConnectAsync(CancellationToken cancellationToken)
        {
            if (Connection.State == HubConnectionState.Disconnected) await Connection.StartAsync(cancellationToken);
            await Connection.GoOnlineAsync(new GoOnlineRequest(Profile.Equipment, Profile.Vehicle, Profile.Capacity), cancellationToken);
        }
    }
}
