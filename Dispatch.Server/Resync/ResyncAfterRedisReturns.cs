using Dispatch.Core.Contracts;
using Dispatch.Core.Couriers;
using Dispatch.Core.Orders;
using Dispatch.Server.Common;
using Dispatch.Server.ControlRoom;
using Dispatch.Server.Couriers;
using Dispatch.Server.Dispatching;
using Dispatch.Server.Orders;
using Dispatch.Server.Persistence;
using Dispatch.Server.Redis;
using Dispatch.Server.Tracking;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Resync;

/// <summary>
/// What pub/sub lost while Redis was away, healed on this node once its subscriptions are live again
/// (<see cref="SubscriptionsRestored"/>). Until then a message published for this node reached nobody: a courier's orders
/// changed on another node, a suspended courier's eviction, and any push the relay sent in the moments Redis came back
/// (which the outbox counts as sent). So every client connected here is brought up to date from PostgreSQL, each through
/// its own connection on this node (a local send: never through the backplane, which is what lost them):
/// <list type="bullet">
/// <item>a courier suspended meanwhile is taken offline and their connections closed;</item>
/// <item>every other courier gets their orders in progress and load reloaded (<see cref="CourierLoadEffects"/>, one read for all), then their
/// jobs in hand (drop any other) and their pending offers;</item>
/// <item>tracking pages and boards are told to refresh: they load everything again from the hub, as when they open.</item>
/// </list>
/// Every part repeats news at worst, so a heal that runs twice (both Redis connections back one after the other) is harmless.
/// </summary>
internal sealed partial class ResyncAfterRedisReturns(
    SubscriptionsRestored restored,
    CourierConnections couriers,
    CourierLoadEffects loads,
    PendingOffers pendingOffers,
    LocalWatchers watchers,
    LocalBoards boards,
    IHubContext<CourierHub, ICourierClient> courierHub,
    IHubContext<TrackingHub, ITrackingClient> trackingHub,
    IHubContext<ControlRoomHub, IControlRoomClient> boardHub,
    IDbContextFactory<DispatchDbContext> dbs,
    NpgsqlDataSource data,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ResilientLoop loops,
    ILogger<ResyncAfterRedisReturns> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        restored.Start();
        // A heal that fails (PostgreSQL away too) is retried whole after the loop's pause.
        return loops.RunAsync("redis-resync", "bringing this node's clients up to date after Redis returned", restored.WaitAsync,
            async ct => await ResyncAsync(ct), stoppingToken);
    }

    /// <summary>
    /// Snapshots a courier may be sent in one heal: the first, and again while a read after sending differs. Each window is a
    /// read and a send (milliseconds); jobs change at a courier's pace, so the limit only stops a loop that would not end.
    /// </summary>
    private const int MaxSnapshotRounds = 10;

    private async Task ResyncAsync(CancellationToken ct)
    {
        var byCourier = couriers.All.GroupBy(c => c.CourierId).ToDictionary(g => g.Key, g => g.Select(c => c.Context.ConnectionId).ToList());
        var suspended = await SuspendedAsync([.. byCourier.Keys], ct);
        Guid[] kept = [.. byCourier.Keys.Where(id => !suspended.Contains(id))];
        // One read and one Redis pipeline for every courier here, as the relay's consumer does for a batch.
        await loads.ReloadHereAsync(kept, ct);
        var jobs = await JobsInHandAsync(kept, ct);
        foreach (var (courierId, connections) in byCourier)
        {
            if (suspended.Contains(courierId))
            {
                await couriers.EvictHereAsync(courierId);
                continue;
            }
            await SendJobsAsync(courierId, connections, jobs, ct);
        }
        // A job given, taken or stepped between the read and the send may have reached the courier first, and the older
        // snapshot undid it. News that reached a connection before the snapshot was committed before the snapshot was written
        // to it, so a read after the send sees it: read again, send again to whoever differs, until a read matches. A courier
        // whose jobs read the same as their last snapshot had nothing undone by it, so each read is of those sent again.
        var unsettled = kept;
        for (var round = 1; unsettled.Length > 0; round++)
        {
            var again = await JobsInHandAsync(unsettled, ct);
            Guid[] changed = [.. unsettled.Where(id => JobsInHandChanges.Differ(jobs.GetValueOrDefault(id) ?? [], again.GetValueOrDefault(id) ?? []))];
            if (changed.Length == 0) break;
            if (round == MaxSnapshotRounds)
            {
                LogStillChanging(logger, changed.Length, MaxSnapshotRounds);
                break;
            }
            foreach (var courierId in changed)
            {
                await SendJobsAsync(courierId, byCourier[courierId], again, ct);
                if (again.TryGetValue(courierId, out var held)) jobs[courierId] = held;
                else jobs.Remove(courierId);
            }
            LogSentAgain(logger, changed.Length, round);
            unsettled = changed;
        }
        // Each refresh is a page's full load (a few queries): paced, dispatchers' boards first.
        var boardConnections = boards.ConnectionIds;
        var pages = watchers.ConnectionIds;
        var pace = new Pacing(options.Value.ResyncRefreshPerSecond, clock);
        foreach (var connectionId in boardConnections)
        {
            await pace.NextAsync(ct);
            await boardHub.Clients.Client(connectionId).Refresh();
        }
        foreach (var connectionId in pages)
        {
            await pace.NextAsync(ct);
            await trackingHub.Clients.Client(connectionId).Refresh();
        }
        LogResynced(logger, byCourier.Count, suspended.Count, pages.Length, boardConnections.Count);
    }

    /// <summary>The courier's jobs in hand to each of their connections here, then their pending offers (the runner drops its open offer on a snapshot).</summary>
    private async Task SendJobsAsync(Guid courierId, List<string> connections, Dictionary<Guid, List<ActiveJob>> jobs, CancellationToken ct)
    {
        var message = new JobsInHandMessage(jobs.TryGetValue(courierId, out var held) ? [.. held] : []);
        foreach (var connectionId in connections)
        {
            await courierHub.Clients.Client(connectionId).JobsInHand(message);
            await pendingOffers.SendAsync(courierId, connectionId, ct);
        }
    }

    /// <summary>Couriers suspended as couriers (onboarding) or through their account.</summary>
    private async Task<HashSet<Guid>> SuspendedAsync(Guid[] courierIds, CancellationToken ct)
    {
        var found = new HashSet<Guid>();
        if (courierIds.Length == 0) return found;
        await using var command = data.CreateCommand("""
            select id from couriers where id = any($1) and suspended_at is not null
            union
            select courier_id from accounts where courier_id = any($1) and suspended_at is not null
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = courierIds });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.Add(reader.GetGuid(0));
        return found;
    }

    private async Task<Dictionary<Guid, List<ActiveJob>>> JobsInHandAsync(Guid[] courierIds, CancellationToken ct)
    {
        if (courierIds.Length == 0) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        var orders = await db.Orders.AsNoTracking()
            .Where(o => o.CourierId != null && courierIds.Contains(o.CourierId.Value)
                && (o.Status == OrderStatus.Accepted || o.Status == OrderStatus.ArrivedAtPickup || o.Status == OrderStatus.PickedUp
                    || o.Status == OrderStatus.InTransit || o.Status == OrderStatus.ArrivedAtDropoff))
            .OrderBy(o => o.CreatedAt)
            .ToListAsync(ct);
        return orders.GroupBy(o => o.CourierId!.Value)
            .ToDictionary(g => g.Key, g => g.Select(o => JobFactory.ToJob(o, options.Value.Currency)).ToList());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is back: the jobs of {Couriers} courier(s) changed while their snapshot was on its way; sent again (round {Round})")]
    private static partial void LogSentAgain(ILogger logger, int couriers, int round);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is back: the jobs of {Couriers} courier(s) still changed after {Snapshots} snapshots; they keep the last until the next push about their orders")]
    private static partial void LogStillChanging(ILogger logger, int couriers, int snapshots);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is back: resynced {Couriers} courier(s) connected here ({Suspended} suspended meanwhile and closed), refreshed {Pages} tracking page(s) and {Boards} board(s)")]
    private static partial void LogResynced(ILogger logger, int couriers, int suspended, int pages, int boards);
}
