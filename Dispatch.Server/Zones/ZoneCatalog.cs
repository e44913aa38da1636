using Dispatch.Core.Zones;
using Dispatch.Server.Common;
using Dispatch.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Zones;

/// <summary>
/// The zones served: the configured ones (appsettings, fixed) plus the ones admins add through the API (table zones).
/// Every node re-reads the table every few seconds and swaps the whole <see cref="ZoneMap"/> at once, so a new zone is
/// served everywhere within <see cref="RefreshEvery"/>; the node that handled the change swaps at once.
/// </summary>
internal sealed partial class ZoneCatalog(
    IDbContextFactory<DispatchDbContext> dbs,
    ZoneMap zones,
    IOptions<DispatchOptions> options,
    TimeProvider clock,
    ResilientLoop loops,
    ILogger<ZoneCatalog> logger) : BackgroundService
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);

    private IReadOnlyList<Zone> Configured { get; } = [.. options.Value.Zones.Select(z => ZoneMap.FromWkt(z.Name, z.Boundary, z.TimeZone))];

    public bool IsConfigured(string name) => Configured.Any(z => string.Equals(z.Name, name, StringComparison.Ordinal));

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
        {
            LogRefreshFailed(logger, ex);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshEvery, clock);
        await loops.RunAsync("zone-catalog", "re-reading the zones table", timer.WaitForNextTickAsync, RefreshOnceAsync, stoppingToken);
    }

    private async ValueTask RefreshOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RefreshAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or DbUpdateException)
        {
            LogRefreshFailed(logger, ex);
        }
    }

    /// <summary>Configured zones plus the table's, swapped in at once. A stored zone that no longer passes the rules is skipped and logged.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var stored = await db.Zones.AsNoTracking().OrderBy(z => z.Name).ToListAsync(ct);
            var all = new List<Zone>(Configured);
            foreach (var record in stored)
            {
                if (IsConfigured(record.Name)) continue;
                try
                {
                    all.Add(new Zone(record.Name, record.Boundary, record.TimeZone));
                }
                catch (ArgumentException ex)
                {
                    LogSkipped(logger, record.Name, ex.Message);
                }
            }
            zones.Replace(all);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Adds a zone or changes its boundary and time zone (null: the server's earnings time zone).</summary>
    public async Task<Outcome<Zone>> PutAsync(string name, string? boundaryWkt, string? timeZone, string actor, Audit.AuditActor audit, CancellationToken ct)
    {
        if (ZoneRules.CheckName(name) is { } badName) return Failure.BadRequest("name", badName);
        if (IsConfigured(name)) return Failure.Conflict($"Zone '{name}' comes from configuration (Dispatch:Zones); change it there, not through the API.");
        var (boundary, problem) = ZoneRules.ParseBoundary(boundaryWkt);
        if (boundary is null) return Failure.BadRequest("boundary", problem!);
        if (timeZone is not null && ZoneTimeZones.Problem(timeZone) is { } badZone) return Failure.BadRequest("timeZone", badZone);
        if (ZoneRules.Overlap(name, boundary, zones.All) is { } other)
            return Failure.Conflict($"The boundary overlaps zone '{other}'; a place must belong to one zone only. Draw it alongside, or change '{other}' first.");

        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var record = await db.Zones.FirstOrDefaultAsync(z => z.Name == name, ct);
            var before = record is null ? null : new { boundary = record.Boundary.AsText(), timeZone = record.TimeZone };
            if (record is null) db.Zones.Add(record = new ZoneRecord { Name = name });
            record.Boundary = boundary;
            record.TimeZone = timeZone;
            record.ChangedAt = clock.GetUtcNow();
            record.ChangedBy = actor;
            await db.SaveChangesAsync(ct);
            await Audit.AuditTrail.WriteAsync(db.Database, audit, before is null ? "zone.add" : "zone.change", $"zone:{name}", record.ChangedAt,
                before, new { boundary = boundary.AsText(), timeZone }, ct);
            await tx.CommitAsync(ct);
        }
        await RefreshAsync(ct);
        LogChanged(logger, name, actor, ZoneRules.AreaKm2(boundary));
        return zones.ByName(name)!;
    }

    /// <summary>Stops serving an admin-added zone; refused while it has open orders.</summary>
    public async Task<Outcome<bool>> DeleteAsync(string name, string actor, Audit.AuditActor audit, CancellationToken ct)
    {
        if (IsConfigured(name)) return Failure.Conflict($"Zone '{name}' comes from configuration (Dispatch:Zones); remove it there.");
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (!await db.Zones.AnyAsync(z => z.Name == name, ct)) return Failure.NotFound($"Zone '{name}' was not added through the API.");
            var open = await db.Orders.CountAsync(o => o.Zone == name && o.Status < Dispatch.Core.Orders.OrderStatus.Delivered, ct);
            if (open > 0) return Failure.Conflict($"Zone '{name}' has {open} open order(s); deliver or cancel them before removing the zone.");
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var boundary = await db.Zones.Where(z => z.Name == name).Select(z => z.Boundary).FirstAsync(ct);
            await db.Zones.Where(z => z.Name == name).ExecuteDeleteAsync(ct);
            await Audit.AuditTrail.WriteAsync(db.Database, audit, "zone.remove", $"zone:{name}", clock.GetUtcNow(), new { boundary = boundary.AsText() }, null, ct);
            await tx.CommitAsync(ct);
        }
        await RefreshAsync(ct);
        LogRemoved(logger, name, actor);
        return true;
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Zone {Zone} set by {Actor} ({Km2:0.##} km²)")]
    private static partial void LogChanged(ILogger logger, string zone, string actor, double km2);

    [LoggerMessage(Level = LogLevel.Information, Message = "Zone {Zone} removed by {Actor}")]
    private static partial void LogRemoved(ILogger logger, string zone, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored zone {Zone} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string zone, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the zones table failed; serving the zones known so far")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex);
}
