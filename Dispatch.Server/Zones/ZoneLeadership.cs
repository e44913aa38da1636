using System.Collections.Concurrent;
using System.Diagnostics;
using Dispatch.Core.Zones;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dispatch.Server.Zones;

/// <summary>
/// The zones this node dispatches: batch rounds, offer expiry, retries and sweeps for a zone run only on the node holding its
/// lease (<see cref="ZoneLeases"/>), and each of their writes checks the lease's fencing token (<see cref="ZoneFence"/>).
/// A node that stops renewing (dead, paused, cut off) loses the zone to another within <see cref="DispatchOptions.ZoneLeaseSeconds"/>.
/// </summary>
internal sealed partial class ZoneLeadership(
    ZoneLeases leases,
    ZoneMap zones,
    IOptions<DispatchOptions> options,
    ILogger<ZoneLeadership> logger)
{
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);

    /// <summary>This process, as written in zone_leases.holder: a restarted node is a new holder and takes over with a new token.</summary>
    public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Renewals come three times per lease, so one late renewal does not lose the zone.</summary>
    public TimeSpan RenewEvery => TimeSpan.FromSeconds(options.Value.ZoneLeaseSeconds / 3.0);

    /// <summary>The fence for the zone's writes while this node holds it; null when another node dispatches the zone.</summary>
    public ZoneFence? FenceFor(string zone) =>
        options.Value.DispatchesZones && _held.TryGetValue(zone, out var held) && Stopwatch.GetTimestamp() < held.ValidUntil ? held.Fence : null;

    /// <summary>The zones this node dispatches now.</summary>
    public IReadOnlyList<string> Led() => [.. zones.All.Select(z => z.Name).Where(z => FenceFor(z) is not null)];

    /// <summary>Takes or renews every zone's lease it can; zones another node holds are left to it.</summary>
    public async Task RenewAsync(CancellationToken ct)
    {
        if (!options.Value.DispatchesZones) return;
        var seconds = options.Value.ZoneLeaseSeconds;
        var names = zones.All.Select(z => z.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var zone in names)
        {
            var asked = Stopwatch.GetTimestamp();
            long? token;
            try
            {
                token = await leases.TakeAsync(zone, Holder, seconds, RenewEvery, ct);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                // A fenced write (ours, or an old holder's) still holds the row: what this node held stays until it runs out.
                LogBusy(logger, zone);
                continue;
            }
            if (token is { } t)
            {
                // Counted from before the statement: the database's expiry is later, so this node stops before another may start.
                var before = _held.GetValueOrDefault(zone);
                var taken = before?.Fence.Token == t ? before.TakenAt : asked;
                var held = new Held(new ZoneFence(zone, Holder, t), asked + (long)(seconds * Stopwatch.Frequency), taken, asked);
                _held[zone] = held;
                if (before?.Fence.Token != t) LogTaken(logger, zone, t);
            }
            else if (_held.TryRemove(zone, out var lost))
            {
                LogLost(logger, zone, lost.Fence.Token);
            }
        }
        foreach (var gone in _held.Keys.Where(z => !names.Contains(z))) _held.TryRemove(gone, out _);
    }

    /// <summary>Gives every lease back (the node is stopping), so another node takes the zones at its next renewal.</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        var mine = _held.Keys.ToList();
        _held.Clear();
        await leases.ReleaseAsync(mine, Holder, ct);
    }

    /// <summary>The zones this node leads now, with how long it has held each and when it last renewed it (for readiness).</summary>
    public IReadOnlyList<LedZone> LeaseAges()
    {
        var now = Stopwatch.GetTimestamp();
        return [.. Led().Select(z => _held.TryGetValue(z, out var h)
            ? new LedZone(z, h.Fence.Token, Stopwatch.GetElapsedTime(h.TakenAt, now), Stopwatch.GetElapsedTime(h.RenewedAt, now))
            : null).OfType<LedZone>()];
    }

    /// <summary>Stopwatch timestamps: <c>TakenAt</c> when this token was won, <c>RenewedAt</c> the latest renewal's start.</summary>
    private sealed record Held(ZoneFence Fence, long ValidUntil, long TakenAt, long RenewedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now dispatches zone {Zone} (fencing token {Token})")]
    private static partial void LogTaken(ILogger logger, string zone, long token);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zone {Zone} is dispatched by another node now; this node's token {Token} is superseded")]
    private static partial void LogLost(ILogger logger, string zone, long token);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Zone {Zone}: its lease row is busy with a write under way; renewal tried again next time")]
    private static partial void LogBusy(ILogger logger, string zone);
}
