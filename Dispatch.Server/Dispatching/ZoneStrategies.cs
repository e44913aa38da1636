using System.Collections.Concurrent;
using System.Text.Json;
using Dispatch.Core.Matching;
using Dispatch.Core.Zones;
using Dispatch.Server.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dispatch.Server.Dispatching;

/// <summary>
/// Each zone's dispatch strategy: from configuration (<c>Dispatch:Strategy</c>, or a zone's own <c>Strategy</c>), unless an
/// admin changed it at run time. Changes live in one Redis hash, so every node and a restart see them; each node
/// re-reads the hash every couple of seconds from the dispatch loop.
/// </summary>
internal sealed partial class ZoneStrategies(
    IConnectionMultiplexer redis, RedisKeys keys, ZoneMap zones, IOptions<DispatchOptions> options,
    Microsoft.EntityFrameworkCore.IDbContextFactory<Persistence.DispatchDbContext> dbs, TimeProvider clock, ILogger<ZoneStrategies> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, DispatchStrategy> _changed = new(StringComparer.Ordinal);

    /// <summary>A zone's strategy and where it comes from ("configuration" or "admin").</summary>
    public (DispatchStrategy Strategy, string Source) Current(string zone) =>
        _changed.TryGetValue(zone, out var s) ? (s, "admin") : (Configured(zone), "configuration");

    public DispatchStrategy For(string zone) => Current(zone).Strategy;

    /// <summary>The configured strategy of a zone. A fan-out above 1 with no strategy named means broadcast, as before strategies existed.</summary>
    public DispatchStrategy Configured(string zone)
    {
        var o = options.Value;
        var name = o.Zones.Find(z => z.Name == zone)?.Strategy ?? o.Strategy;
        var mode = Parse(name) ?? DispatchMode.Sequential;
        if (name is null && o.OfferFanout > 1) mode = DispatchMode.Broadcast;
        return new DispatchStrategy(mode, Math.Max(2, o.OfferFanout), o.BatchWindowSeconds);
    }

    public static DispatchMode? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "sequential" => DispatchMode.Sequential,
        "broadcast" => DispatchMode.Broadcast,
        "batch" => DispatchMode.Batch,
        _ => null,
    };

    /// <summary>Re-reads the run-time changes from Redis.</summary>
    public async Task RefreshAsync()
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(keys.ZoneStrategies());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var zone = (string)entry.Name!;
            if (zones.ByName(zone) is null || JsonSerializer.Deserialize<DispatchStrategy>((string)entry.Value!, Json) is not { } strategy) continue;
            _changed[zone] = strategy;
            seen.Add(zone);
        }
        foreach (var zone in _changed.Keys.Where(z => !seen.Contains(z)).ToList()) _changed.TryRemove(zone, out _);
    }

    /// <summary>Changes a zone's strategy now, for every node. The caller has validated it.</summary>
    public async Task SetAsync(string zone, DispatchStrategy strategy, string actor, Audit.AuditActor audit, CancellationToken ct)
    {
        await AuditedAsync(zone, "zone.strategy.set", strategy, audit,
            () => redis.GetDatabase().HashSetAsync(keys.ZoneStrategies(), zone, JsonSerializer.Serialize(strategy, Json)), ct);
        _changed[zone] = strategy;
        LogChanged(logger, zone, strategy.Mode, strategy.Fanout, strategy.BatchWindowSeconds, actor);
    }

    /// <summary>Goes back to the configured strategy.</summary>
    public async Task ResetAsync(string zone, string actor, Audit.AuditActor audit, CancellationToken ct)
    {
        var configured = Configured(zone);
        await AuditedAsync(zone, "zone.strategy.reset", configured, audit, () => redis.GetDatabase().HashDeleteAsync(keys.ZoneStrategies(), zone), ct);
        _changed.TryRemove(zone, out _);
        LogChanged(logger, zone, configured.Mode, configured.Fanout, configured.BatchWindowSeconds, actor);
    }

    // The audit row commits only if the Redis write went through: a refused write leaves no row.
    private async Task AuditedAsync(string zone, string action, DispatchStrategy after, Audit.AuditActor audit, Func<Task> write, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await Audit.AuditTrail.WriteAsync(db.Database, audit, action, $"zone:{zone}", clock.GetUtcNow(), Current(zone).Strategy, after, ct);
        await write();
        await tx.CommitAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone {Zone} dispatch strategy is now {Mode} (fanout {Fanout}, batch window {Window} s), set by {Actor}")]
    private static partial void LogChanged(ILogger logger, string zone, DispatchMode mode, int fanout, int window, string actor);
}
