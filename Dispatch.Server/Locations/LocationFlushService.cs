using System.Diagnostics;
using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Geo;
using Dispatch.Core.Orders;
using Dispatch.Server.Couriers;
using Dispatch.Server.Redis;
using Dispatch.Server.Tracking;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dispatch.Server.Locations;

/// <summary>
/// The hot path's one side-effect point. Every flush interval (≤ 250 ms) it drains the validated fixes,
/// coalesces them per courier, writes every moved courier in ONE pipelined Redis batch (GEOADD + state + last-seen),
/// pushes positions to the tracking groups of their orders, and hands the fixes to the track-point writer.
/// </summary>
public sealed partial class LocationFlushService(
    LocationChannels channels,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    AssignmentBook assignments,
    Routing.RerouteService reroutes,
    Orders.MilestoneService milestones,
    ControlRoom.BoardFrames board,
    TimeProvider clock,
    IHubContext<TrackingHub, ITrackingClient> tracking,
    IOptions<DispatchOptions> options,
    DispatchMetrics metrics,
    ILogger<LocationFlushService> logger) : BackgroundService
{
    /// <summary>Until the courier carries the goods the customer sees a position rounded to this grid, metres.</summary>
    public const double CoarseGridMetres = 300;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.FlushIntervalMilliseconds);
        using var timer = new PeriodicTimer(interval);
        var reader = channels.Fixes.Reader;
        var dirty = new Dictionary<Guid, OnlineCourier>();
        var batches = new List<FixBatch>();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                dirty.Clear();
                batches.Clear();
                while (reader.TryRead(out var batch))
                {
                    batches.Add(batch);
                    dirty[batch.Session.CourierId] = batch.Session;
                }
                if (dirty.Count == 0)
                {
                    await board.AddAndMaybeSendAsync([]); // a quiet zone still gets its last moves
                    continue;
                }
                try
                {
                    await FlushAsync(dirty.Values, batches);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Positions are superseded by the next fix anyway; keep going rather than stall the hot path.
                    LogFlushFailed(logger, dirty.Count, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FlushAsync(IEnumerable<OnlineCourier> sessions, List<FixBatch> batches)
    {
        var started = Stopwatch.GetTimestamp();
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var pending = new List<Task>();
        var moved = new List<CourierSnapshot>();
        foreach (var session in sessions)
        {
            CourierSnapshot? snapshot;
            string? leftZone;
            lock (session.Sync)
            {
                snapshot = session.Online ? session.ToSnapshot() : null;
                leftZone = session.PreviousZone;
                session.PreviousZone = null;
            }
            if (snapshot is null) continue;
            var member = RedisKeys.Member(snapshot.CourierId);
            if (leftZone is not null && leftZone != snapshot.Zone)
            {
                pending.Add(batch.SortedSetRemoveAsync(keys.ZoneCouriers(leftZone), member));
                pending.Add(batch.SortedSetRemoveAsync(keys.ZoneLastSeen(leftZone), member));
            }
            pending.Add(batch.GeoAddAsync(keys.ZoneCouriers(snapshot.Zone), snapshot.Lon, snapshot.Lat, member));
            pending.Add(batch.StringSetAsync(keys.CourierState(snapshot.CourierId), SnapshotCodec.Encode(snapshot)));
            pending.Add(batch.SortedSetAddAsync(keys.ZoneLastSeen(snapshot.Zone), member, snapshot.At.ToUnixTimeMilliseconds()));
            moved.Add(snapshot);
        }
        batch.Execute();
        await Task.WhenAll(pending);

        var fixes = 0;
        foreach (var b in batches)
        {
            fixes += b.Fixes.Length;
            channels.TrackPoints.Writer.TryWrite(b);
        }
        metrics.Flushed(moved.Count, fixes, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await PushToCustomersAsync(moved);
        await board.AddAndMaybeSendAsync(moved);
    }

    private Task PushToCustomersAsync(List<CourierSnapshot> moved)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        List<Task>? pushes = null;
        foreach (var courier in moved)
        {
            foreach (var a in assignments.For(courier.CourierId))
            {
                var exact = OrderStateMachine.IsCarrying(a.Status);
                var shown = exact ? courier.Position : GeoMath.Coarsen(courier.Position, CoarseGridMetres);
                int eta;
                if (a.Route is { } route)
                {
                    // On the road network: time left along the planned route; off it by too much, ask for a new one.
                    eta = route.RemainingSeconds(courier.Position);
                    if (route.Locate(courier.Position).OffRouteMetres > o.RerouteAfterMetres
                        && assignments.TryMarkReroute(courier.CourierId, a.OrderId, now, TimeSpan.FromSeconds(o.RerouteMinIntervalSeconds)))
                    {
                        reroutes.Request(a.OrderId, courier.CourierId);
                    }
                }
                else
                {
                    eta = Eta.ToDropoffSeconds(a.Status, courier.Position, a.Pickup, a.Dropoff, o.EtaSpeedMetresPerSecond);
                }
                var next = Milestones.Next(a.Status, a.MilestonesAsked.HasFlag(Milestone.Arriving), courier.Position, a.Pickup, a.Dropoff, eta,
                    o.LeftPickupMetres, o.ArrivingMetres, o.ArrivingSeconds);
                if (next != Milestone.None && assignments.TryMarkMilestone(courier.CourierId, a.OrderId, next))
                {
                    milestones.Request(a.OrderId, courier.CourierId, next, courier.Position, eta);
                }
                var message = new CourierPosition(a.OrderId, shown.Lat, shown.Lon, courier.At, eta, !exact);
                (pushes ??= []).Add(tracking.Clients.Group(TrackingGroups.Order(a.OrderId)).CourierMoved(message));
            }
        }
        return pushes is null ? Task.CompletedTask : Task.WhenAll(pushes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Location flush of {Couriers} courier(s) to Redis failed; positions will be rewritten by the next fixes")]
    private static partial void LogFlushFailed(ILogger logger, int couriers, Exception ex);
}
