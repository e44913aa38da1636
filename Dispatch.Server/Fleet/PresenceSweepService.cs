using Dispatch.Core.Zones;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dispatch.Server.Fleet;

/// <summary>Every few seconds removes couriers silent past the stale limit from each zone's geo set, so dispatch never offers to a ghost.</summary>
internal sealed partial class PresenceSweepService(
    IConnectionMultiplexer redis,
    FleetKeys keys,
    FleetWriter writer,
    IEnumerable<ICourierSilenceListener> silenceListeners,
    ZoneMap zones,
    TimeProvider clock,
    IOptions<DispatchOptions> options,
    Common.ResilientLoop loops,
    ILogger<PresenceSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(options.Value.StaleAfterSeconds / 6.0, 1, 10)));
        await loops.RunAsync("presence-sweep", "removing silent couriers and withdrawing their offers", timer.WaitForNextTickAsync, SweepOnceAsync, stoppingToken);
    }

    private async ValueTask SweepOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SweepAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is RedisException or System.Data.Common.DbException)
        {
            LogSweepFailed(logger, ex);
        }
    }

    /// <summary>Removes stale couriers from the geo sets and tells the listeners, which withdraw their pending offers (every node may sweep: both are idempotent).</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var db = redis.GetDatabase();
        var cutoff = clock.GetUtcNow().AddSeconds(-options.Value.StaleAfterSeconds).ToUnixTimeMilliseconds();
        var removed = 0;
        foreach (var zone in zones.All)
        {
            var stale = await db.SortedSetRangeByScoreAsync(keys.ZoneLastSeen(zone.Name), double.NegativeInfinity, cutoff);
            if (stale.Length == 0) continue;
            await writer.RemoveStaleAsync(zone.Name, stale);
            removed += stale.Length;
            LogSwept(logger, stale.Length, zone.Name);
            foreach (var member in stale)
            {
                var courierId = Guid.ParseExact(member.ToString(), "N");
                foreach (var listener in silenceListeners) await listener.CourierWentSilentAsync(courierId, ct);
            }
        }
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} stale courier(s) from zone {Zone}")]
    private static partial void LogSwept(ILogger logger, int count, string zone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stale-courier sweep failed; will retry")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
