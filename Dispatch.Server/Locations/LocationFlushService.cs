using System.Diagnostics;
using System.Runtime.CompilerServices;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Server.Common;
using Dispatch.Server.Fleet;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dispatch.Server.Locations;

/// <summary>
/// The hot path's one side-effect point. Every flush interval (≤ 250 ms) it drains the validated fixes,
/// coalesces them per courier, writes every moved courier in ONE pipelined Redis batch (GEOADD + state + last-seen) and
/// tells every node in one message (<see cref="FleetWriter.WriteMovesAsync"/>),
/// tells the fleet's listeners (<see cref="CourierChanges"/>: customers' tracking, the board), and hands the fixes to the
/// track-point writer.
/// </summary>
internal sealed partial class LocationFlushService(
    LocationChannels channels,
    FleetWriter writer,
    CourierChanges changes,
    IOptions<DispatchOptions> options,
    DispatchMetrics metrics,
    TimeProvider clock,
    ResilientLoop loops,
    ILogger<LocationFlushService> logger) : BackgroundService
{
    private readonly Dictionary<Guid, OnlineCourier> _dirty = [];
    private readonly List<FixBatch> _batches = [];
    // Couriers whose last flush failed (Redis away): written again at every flush until it succeeds, so a position
    // acknowledged during an outage reaches Redis once it is back even if the courier stands still. At most one per session.
    private readonly Dictionary<Guid, OnlineCourier> _unflushed = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.FlushIntervalMilliseconds));
        await loops.RunAsync("location-flush", "flushing couriers' positions to Redis and pushing them", timer.WaitForNextTickAsync, FlushOnceAsync, stoppingToken);
    }

    // Pooled: the flush runs every 200 ms and must not allocate a state machine per tick.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushOnceAsync(CancellationToken stoppingToken)
    {
        _dirty.Clear();
        _batches.Clear();
        foreach (var (id, session) in _unflushed) _dirty[id] = session;
        _unflushed.Clear();
        while (channels.Fixes.TryTake(out var batch))
        {
            _batches.Add(batch);
            _dirty[batch.Session.CourierId] = batch.Session;
        }
        if (_dirty.Count == 0)
        {
            // A quiet flush still tells the listeners: a zone gets its last moves, customers the pushes the rate limit held back.
            await changes.NotifyAsync([]);
            return;
        }
        try
        {
            await FlushAsync(_dirty.Values, _batches);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Keep going rather than stall the hot path; these couriers' latest positions are written again next time.
            LogFlushFailed(logger, _dirty.Count, ex);
            foreach (var (id, session) in _dirty) _unflushed[id] = session;
        }
    }

    private async Task FlushAsync(IEnumerable<OnlineCourier> sessions, List<FixBatch> batches)
    {
        var started = Stopwatch.GetTimestamp();
        var moves = new List<(CourierSnapshot, string?)>();
        var moved = new List<CourierSnapshot>();
        var now = clock.GetUtcNow();
        foreach (var session in sessions)
        {
            CourierSnapshot? snapshot;
            string? leftZone;
            DateTimeOffset? fixedAt;
            lock (session.Sync)
            {
                snapshot = session.Online ? session.ToSnapshot() : null;
                leftZone = session.PreviousZone;
                fixedAt = session.LastFix?.Time;
            }
            if (snapshot is null) continue;
            if (fixedAt is { } at) metrics.PushLag(now - at);
            moves.Add((snapshot, leftZone));
            moved.Add(snapshot);
        }
        // The track (PostgreSQL) does not depend on Redis: accepted fixes reach it even when the Redis write below fails.
        var fixes = 0;
        foreach (var b in batches)
        {
            fixes += b.Fixes.Length;
            channels.TrackPoints.Add(b);
        }
        await writer.WriteMovesAsync(moves);
        // The zone a courier left is forgotten only once written: a failed write leaves it for the retry.
        foreach (var (snapshot, left) in moves)
        {
            if (left is null || !_dirty.TryGetValue(snapshot.CourierId, out var session)) continue;
            lock (session.Sync)
            {
                if (session.PreviousZone == left) session.PreviousZone = null;
            }
        }
        metrics.Flushed(moved.Count, fixes, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await changes.NotifyAsync(moved);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Location flush of {Couriers} courier(s) to Redis failed; their latest positions are written again at the next flush")]
    private static partial void LogFlushFailed(ILogger logger, int couriers, Exception ex);
}
